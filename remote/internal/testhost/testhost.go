// Package testhost holds what the test harnesses sshdtest and servertest
// both need to run a server on this machine: a free port, a directory a
// server's configuration can carry, a look at the log and the banner, a
// binary found or the test skipped, and known_hosts lines. Messages that
// reach a test name the harness by the prefix its caller passes.
package testhost

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// tailLines is how many lines of a log Tail keeps.
const tailLines = 40

// FreePort returns a port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// RealDir returns dir absolute and with symbolic links resolved. It fails
// t, with messages starting "prefix: ", if that cannot be done or if the
// path contains any of the characters in unsafe, which a server's
// configuration would interpret; the message then says "path P contains
// " followed by why.
func RealDir(t testing.TB, prefix, dir, unsafe, why string) string {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		t.Fatalf("%s: %v", prefix, err)
	}
	if strings.ContainsAny(abs, unsafe) {
		t.Fatalf("%s: path %q contains %s", prefix, abs, why)
	}
	return abs
}

// Tail returns the last lines of log, the text of the file at path, under
// a heading naming the file, for failure messages.
func Tail(path, log string) string {
	lines := strings.Split(strings.TrimRight(log, "\n"), "\n")
	if len(lines) > tailLines {
		lines = lines[len(lines)-tailLines:]
	}
	return fmt.Sprintf("--- last lines of %s ---\n%s", path, strings.Join(lines, "\n"))
}

// ReadBanner connects to addr and returns the first line the server sends,
// its SSH version line, newline included.
func ReadBanner(addr string) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("read SSH banner: %w", err)
	}
	return line, nil
}

// KnownHostsLine returns key as a known_hosts line for addr, in OpenSSH's
// form "[127.0.0.1]:PORT TYPE BASE64", without a trailing newline.
func KnownHostsLine(addr string, key ssh.PublicKey) string {
	return knownhosts.Line([]string{knownhosts.Normalize(addr)}, key)
}

// WriteKnownHosts writes a known_hosts file listing keys for addr, in a
// new directory of t's, and returns its path. A failure fails t with a
// message starting "prefix: ".
func WriteKnownHosts(t testing.TB, prefix, addr string, keys []ssh.PublicKey) string {
	t.Helper()
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(KnownHostsLine(addr, k) + "\n")
	}
	path := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatalf("%s: %v", prefix, err)
	}
	return path
}

// DialSFTP connects to addr with cfg and starts an SFTP client on the
// connection; both are closed when t ends. If the connection fails, it
// fails t with "DIALHEAD: ERROR" and the text logTail returns then on the
// next line; if SFTP does not start, likewise with sftpHead.
func DialSFTP(t testing.TB, addr string, cfg *ssh.ClientConfig, dialHead, sftpHead string,
	logTail func() string) (*ssh.Client, *sftp.Client) {
	t.Helper()
	c, err := ssh.Dial("tcp", addr, cfg)
	if err != nil {
		t.Fatalf("%s: %v\n%s", dialHead, err, logTail())
	}
	sc, err := sftp.NewClient(c)
	if err != nil {
		c.Close()
		t.Fatalf("%s: %v\n%s", sftpHead, err, logTail())
	}
	t.Cleanup(func() {
		sc.Close()
		c.Close()
	})
	return c, sc
}
