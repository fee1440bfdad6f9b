package remote

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"regexp"
	"strconv"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/pkg/sftp"
	"github.com/skeema/knownhosts"
	"golang.org/x/crypto/ssh"
)

// Session is one SSH connection with an SFTP client on it.
type Session struct {
	// Host is the resolved destination the session was dialled with.
	Host config.Host
	// SSH is the SSH connection.
	SSH *ssh.Client
	// SFTP is the SFTP client running over SSH.
	SFTP *sftp.Client
	// FS is the SFTP client as a ferry file system.
	FS *FS
}

// Close closes the SFTP client and the SSH connection.
func (s *Session) Close() error {
	err := s.SFTP.Close()
	if cerr := s.SSH.Close(); err == nil && !errors.Is(cerr, net.ErrClosed) {
		err = cerr
	}
	return err
}

// ConnError is a failure to connect or authenticate. Commands exit with
// status 255 for it, as ssh does.
type ConnError struct {
	// Host is the destination as the user named it.
	Host string
	// Err is the cause.
	Err error
}

// Error names the host and the cause.
func (e *ConnError) Error() string { return fmt.Sprintf("connect to %s: %v", e.Host, e.Err) }

// Unwrap returns the cause.
func (e *ConnError) Unwrap() error { return e.Err }

// Dial connects to h, verifies its host key against known_hosts,
// authenticates, and starts an SFTP client tuned for throughput.
func Dial(ctx context.Context, h config.Host) (*Session, error) {
	s, err := dial(ctx, h)
	if err != nil {
		return nil, &ConnError{Host: h.Alias, Err: err}
	}
	return s, nil
}

func dial(ctx context.Context, h config.Host) (*Session, error) {
	if h.Port == 0 {
		h.Port = 22
	}
	addr := net.JoinHostPort(h.HostName, strconv.Itoa(h.Port))
	hkdb, err := knownhosts.NewDB(existing(h.UserKnownHostsFiles, h.GlobalKnownHostsFiles)...)
	if err != nil {
		return nil, fmt.Errorf("known_hosts: %w", err)
	}
	signers, err := loadSigners(h.IdentityFiles)
	if err != nil {
		return nil, err
	}
	cfg := &ssh.ClientConfig{
		User:              h.User,
		Auth:              []ssh.AuthMethod{ssh.PublicKeys(signers...)},
		HostKeyCallback:   hkdb.HostKeyCallback(),
		HostKeyAlgorithms: hkdb.HostKeyAlgorithms(addr),
		Timeout:           h.ConnectTimeout,
	}
	if h.ConnectTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.ConnectTimeout)
		defer cancel()
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	c, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	if err != nil {
		conn.Close()
		if knownhosts.IsHostUnknown(err) {
			return nil, fmt.Errorf("host key for %s is not known and StrictHostKeyChecking is yes: %w", addr, err)
		}
		return nil, err
	}
	_ = conn.SetDeadline(time.Time{})
	client := ssh.NewClient(c, chans, reqs)
	sc, err := sftp.NewClient(client, SFTPOptions(string(client.ServerVersion()))...)
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("start sftp subsystem: %w", err)
	}
	return &Session{Host: h, SSH: client, SFTP: sc, FS: NewFS(h.Alias, sc)}, nil
}

// existing returns the files of both lists that exist; known_hosts files
// that are missing are simply empty, as in OpenSSH.
func existing(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, f := range l {
			if _, err := os.Stat(f); err == nil {
				out = append(out, f)
			}
		}
	}
	return out
}

// loadSigners reads unencrypted private keys; missing files are skipped,
// as OpenSSH does for its default identities.
func loadSigners(files []string) ([]ssh.Signer, error) {
	var signers []ssh.Signer
	for _, f := range files {
		b, err := os.ReadFile(f)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("identity file %s: %w", f, err)
		}
		s, err := ssh.ParsePrivateKey(b)
		if err != nil {
			return nil, fmt.Errorf("identity file %s: %w", f, err)
		}
		signers = append(signers, s)
	}
	return signers, nil
}

var openSSHVersion = regexp.MustCompile(`^SSH-2\.0-OpenSSH_(\d+)\.(\d+)`)

// SFTPOptions returns pkg/sftp client options for a server that identified
// itself as serverVersion: concurrent reads and writes, and 255 KiB packets
// x 16 in flight when the server is OpenSSH 8.6 or newer (which raised its
// limit and advertises limits@openssh.com), else 32 KiB x 64.
func SFTPOptions(serverVersion string) []sftp.ClientOption {
	opts := []sftp.ClientOption{
		sftp.UseConcurrentWrites(true),
		sftp.UseConcurrentReads(true),
		sftp.UseFstat(true),
	}
	if m := openSSHVersion.FindStringSubmatch(serverVersion); m != nil {
		major, _ := strconv.Atoi(m[1])
		minor, _ := strconv.Atoi(m[2])
		if major > 8 || (major == 8 && minor >= 6) {
			return append(opts, sftp.MaxPacketUnchecked(261120), sftp.MaxConcurrentRequestsPerFile(16))
		}
	}
	return append(opts, sftp.MaxPacketUnchecked(32768), sftp.MaxConcurrentRequestsPerFile(64))
}
