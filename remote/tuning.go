package remote

import (
	"regexp"
	"strconv"

	"github.com/pkg/sftp"
)

var openSSHVersion = regexp.MustCompile(`^SSH-2\.0-OpenSSH_(\d+)\.(\d+)`)

// SFTPOptions returns pkg/sftp client options for a server that identified
// itself as serverVersion: concurrent reads and writes, with the packet
// size and requests in flight of readTuning.
func SFTPOptions(serverVersion string) []sftp.ClientOption {
	return sftpOptions(readTuning(serverVersion))
}

// sftpOptions returns the pkg/sftp client options for chunk bytes per
// request and depth requests in flight per file.
func sftpOptions(chunk, depth int) []sftp.ClientOption {
	return []sftp.ClientOption{
		sftp.UseConcurrentWrites(true),
		sftp.UseConcurrentReads(true),
		sftp.UseFstat(true),
		sftp.MaxPacketUnchecked(chunk),
		sftp.MaxConcurrentRequestsPerFile(depth),
	}
}

// readTuning returns the bytes per request and requests in flight per file
// for a server that identified itself as serverVersion: 255 KiB x 16 when
// it is OpenSSH 8.6 or newer (which raised its limit and advertises
// limits@openssh.com), else 32 KiB x 64.
func readTuning(serverVersion string) (chunk, depth int) {
	if m := openSSHVersion.FindStringSubmatch(serverVersion); m != nil {
		major, _ := strconv.Atoi(m[1])
		minor, _ := strconv.Atoi(m[2])
		if major > 8 || (major == 8 && minor >= 6) {
			return 261120, 16
		}
	}
	return 32768, 64
}
