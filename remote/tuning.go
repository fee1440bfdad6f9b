package remote

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/pkg/sftp"
)

var openSSHVersion = regexp.MustCompile(`^SSH-2\.0-OpenSSH_(\d+)\.(\d+)`)

// rangesBroken reports whether a server that identified itself as
// serverVersion is known to break when one file is written over several
// SFTP channels at once. ProFTPD's mod_sftp (1.3.8, "SSH-2.0-mod_sftp")
// crashes with a malloc assertion or stops answering on the first ranged
// upload (remote/servertest, transfer/interop_servers_test.go), so large
// uploads to it go as one stream from the start instead of after a failure
// or a 30 s stall.
func rangesBroken(serverVersion string) bool {
	return strings.HasPrefix(serverVersion, "SSH-2.0-mod_sftp")
}

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
