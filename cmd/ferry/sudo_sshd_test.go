package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// sudoSFTPServer is OpenSSH's sftp-server on Debian, the program the
// sudoers rules of these tests allow.
const sudoSFTPServer = "/usr/lib/openssh/sftp-server"

// sudoRules are the sudoers lines for a user allowed to run the SFTP server
// as root without a password and one who needs a password for it: real
// sudo reads them from /etc/sudoers.d, the stand-in from its rules file.
func sudoRules(allowed, denied string) string {
	return fmt.Sprintf("%s ALL=(root) NOPASSWD: %s\n%s ALL=(root) %s\n", allowed, sudoSFTPServer, denied, sudoSFTPServer)
}

// TestSSHDSudoSFTPServer is issue 13's elevated access, WinSCP's and sftp
// -s's recipe: logged in to a real sshd as a non-root user, --sftp-server
// 'sudo -n .../sftp-server' reads and replaces a root-owned 0600 file that
// the user cannot touch through the sftp subsystem; a user whose sudoers
// rule wants a password gets a message naming the command and quoting
// sudo. It runs with real sudo when it is installed, and always with a
// setuid-root stand-in that does what sudo -n does with the same rules.
func TestSSHDSudoSFTPServer(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root: it creates throwaway users and root-owned files")
	}
	if _, err := os.Stat(sudoSFTPServer); err != nil {
		t.Skipf("no %s", sudoSFTPServer)
	}
	allowed, denied := throwawayUser(t), throwawayUser(t)
	srv := sshdtest.Start(t, sshdtest.WithUser(allowed))
	known := srv.WriteKnownHosts(t)
	var cfg strings.Builder
	for _, u := range []string{allowed, denied} {
		fmt.Fprintf(&cfg, "Host %s\n  HostName 127.0.0.1\n  Port %d\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  BatchMode yes\n  IdentityAgent none\n\n",
			u, srv.Port, u, srv.ClientKeyPath, known)
	}
	cfgPath := filepath.Join(t.TempDir(), "ssh_config")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	e := elevation{cfg: cfgPath, allowed: allowed, denied: denied}

	t.Run("sudo", func(t *testing.T) {
		sudo, err := exec.LookPath("sudo")
		if err != nil {
			// The CI image has no sudo and cannot fetch it (its apt
			// mirror is unreachable), so this half is a skip there; the
			// stand-in half below runs everywhere.
			t.Skip("sudo is not installed")
		}
		drop := filepath.Join("/etc/sudoers.d", "ferry-test-"+allowed)
		if err := os.WriteFile(drop, []byte(sudoRules(allowed, denied)), 0o440); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Remove(drop) })
		if visudo, err := exec.LookPath("visudo"); err == nil {
			if out, err := exec.Command(visudo, "-cf", drop).CombinedOutput(); err != nil {
				t.Fatalf("visudo -cf %s: %v\n%s", drop, err, out)
			}
		}
		e.command = sudo + " -n " + sudoSFTPServer
		e.check(t)
	})

	t.Run("stand-in", func(t *testing.T) {
		e.command = fakeSudo(t, sudoRules(allowed, denied)) + " -n " + sudoSFTPServer
		e.check(t)
	})
}

// elevation is one way to run the SFTP server as root for TestSSHDSudo:
// the --sftp-server command, and the ssh config whose aliases, named
// after them, log in as a user it lets through and one it refuses.
type elevation struct {
	cfg, command, allowed, denied string
}

// check makes a root-owned 0600 file and proves that only the elevated
// server reads and replaces it, keeping it root's, and that the refused
// user is told why.
func (e elevation) check(t *testing.T) {
	dir := traversableDir(t)
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte("root only\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	local := traversableDir(t)
	newer := filepath.Join(local, "secret")
	if err := os.WriteFile(newer, []byte("replaced by "+e.allowed+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	down := t.TempDir()

	// Through the sftp subsystem the user may do neither.
	code, _, errs := ferry(t, "get", "-F", e.cfg, e.allowed+":"+secret, down)
	if code == exitOK || !strings.Contains(strings.ToLower(errs), "permission denied") {
		t.Errorf("get without --sftp-server: exit %d, %q; want permission denied", code, errs)
	}
	code, _, errs = ferry(t, "put", "-f", "-F", e.cfg, newer, e.allowed+":"+dir)
	if code == exitOK || !strings.Contains(strings.ToLower(errs), "permission denied") {
		t.Errorf("put without --sftp-server: exit %d, %q; want permission denied", code, errs)
	}

	// Through the elevated server it reads and replaces the file.
	code, _, errs = ferry(t, "get", "-F", e.cfg, "--sftp-server", e.command, e.allowed+":"+secret, down)
	if got, err := os.ReadFile(filepath.Join(down, "secret")); code != exitOK || err != nil || string(got) != "root only\n" {
		t.Fatalf("get with --sftp-server %q: exit %d, %q; got %q, %v", e.command, code, errs, got, err)
	}
	code, _, errs = ferry(t, "put", "-f", "-F", e.cfg, "--sftp-server", e.command, newer, e.allowed+":"+dir)
	if code != exitOK {
		t.Fatalf("put -f with --sftp-server %q: exit %d, %q", e.command, code, errs)
	}
	got, err := os.ReadFile(secret)
	if err != nil || string(got) != "replaced by "+e.allowed+"\n" {
		t.Fatalf("the root-owned file after put: %q, %v", got, err)
	}
	fi, err := os.Stat(secret)
	if err != nil {
		t.Fatal(err)
	}
	if st := fi.Sys().(*syscall.Stat_t); st.Uid != 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("after put: owner %d, mode %v; want root's, 0600", st.Uid, fi.Mode().Perm())
	}

	// A rule that wants a password: the command fails and ferry says why.
	code, _, errs = ferry(t, "ls", "-F", e.cfg, "--sftp-server", e.command, e.denied+":"+dir)
	if code != exitConnFail || !strings.Contains(errs, "a password is required") || !strings.Contains(errs, strconv.Quote(e.command)) {
		t.Errorf("ls as %s (password wanted): exit %d, %q; want exit %d quoting sudo and naming %q", e.denied, code, errs, exitConnFail, e.command)
	}
}

// throwawayUser creates a user with a random name, no password (but not a
// locked account, which sshd would refuse) and a home of its own, and
// removes it when t ends.
func throwawayUser(t *testing.T) string {
	t.Helper()
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	name := "fy" + hex.EncodeToString(b)
	home := traversableDir(t)
	if out, err := exec.Command("useradd", "-M", "-N", "-d", home, "-s", "/bin/sh", "-p", "*", name).CombinedOutput(); err != nil {
		t.Skipf("useradd %s: %v: %s", name, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("userdel", name).CombinedOutput(); err != nil {
			t.Errorf("userdel %s: %v: %s", name, err, out)
		}
	})
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(home, uid, gid); err != nil {
		t.Fatal(err)
	}
	return name
}

// traversableDir returns a new directory of t's that other users may
// enter (t.TempDir makes it and its parent 0700).
func traversableDir(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	for _, p := range []string{filepath.Dir(d), d} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return d
}
