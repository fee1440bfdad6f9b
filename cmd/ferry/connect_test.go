package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// writeConfig writes an ssh_config with one alias for srv using the given
// known_hosts file and StrictHostKeyChecking value.
func writeConfig(t *testing.T, srv *sshdtest.Server, kh, strict, extra string) string {
	t.Helper()
	body := fmt.Sprintf("Host box\n  HostName 127.0.0.1\n  Port %d\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  IdentityAgent none\n  UserKnownHostsFile %s\n  GlobalKnownHostsFile none\n  StrictHostKeyChecking %s\n  BatchMode yes\n%s",
		srv.Port, srv.User, srv.ClientKeyPath, kh, strict, extra)
	p := filepath.Join(t.TempDir(), "ssh_config")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSSHDLsAcceptNewWritesOnce(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	kh := filepath.Join(t.TempDir(), "new", ".ssh", "known_hosts")
	cfg := writeConfig(t, srv, kh, "accept-new", "")
	for i := 0; i < 2; i++ {
		if code, _, errs := ferry(t, "ls", "-F", cfg, "box:"); code != 0 {
			t.Fatalf("run %d: exit %d: %s", i, code, errs)
		}
	}
	b, err := os.ReadFile(kh)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != 1 || !strings.HasPrefix(string(b), fmt.Sprintf("[127.0.0.1]:%d ", srv.Port)) {
		t.Fatalf("known_hosts after two runs:\n%s", b)
	}
	fi, _ := os.Stat(kh)
	di, _ := os.Stat(filepath.Dir(kh))
	if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
		t.Fatalf("modes: file %v, dir %v; want 0600 and 0700", fi.Mode().Perm(), di.Mode().Perm())
	}
}

func TestSSHDLsChangedKeyRefusedEveryMode(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	other := sshdtest.Start(t) // its host keys stand in for the "old" ones
	for _, strict := range []string{"yes", "ask", "accept-new", "no"} {
		kh := other.WriteKnownHosts(t)
		// Record other's keys under srv's name.
		b, _ := os.ReadFile(kh)
		fixed := strings.ReplaceAll(string(b), fmt.Sprintf("[127.0.0.1]:%d", other.Port), fmt.Sprintf("[127.0.0.1]:%d", srv.Port))
		if err := os.WriteFile(kh, []byte(fixed), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg := writeConfig(t, srv, kh, strict, "")
		code, _, errs := ferry(t, "ls", "-F", cfg, "box:")
		if code != 255 {
			t.Errorf("%s: exit %d, want 255", strict, code)
		}
		for _, want := range []string{"\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n", "SHA256:", "Offending ECDSA key in " + kh + ":2\n"} {
			if !strings.Contains(errs, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", strict, want, errs)
			}
		}
		if after, _ := os.ReadFile(kh); string(after) != fixed {
			t.Errorf("%s: known_hosts was modified", strict)
		}
	}
}

func TestSSHDLsHashedKnownHostsAndEncryptedKeyRefusedInBatch(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("needs ssh-keygen")
	}
	srv := sshdtest.Start(t)
	kh := srv.WriteKnownHosts(t)
	if out, err := exec.Command("ssh-keygen", "-H", "-f", kh).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen -H: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(kh); !strings.HasPrefix(string(b), "|1|") {
		t.Fatalf("not hashed: %s", b)
	}
	cfg := writeConfig(t, srv, kh, "yes", "")
	if code, _, errs := ferry(t, "ls", "-F", cfg, "box:"); code != 0 {
		t.Fatalf("hashed known_hosts: exit %d: %s", code, errs)
	}
	// An encrypted key that the server does not know cannot be offered in
	// BatchMode: authentication fails with 255, without asking anything.
	enc := filepath.Join(t.TempDir(), "id_enc")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "secret", "-f", enc).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	cfg2 := writeConfig(t, srv, kh, "yes", "")
	b, _ := os.ReadFile(cfg2)
	if err := os.WriteFile(cfg2, []byte(strings.Replace(string(b), srv.ClientKeyPath, enc, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := ferry(t, "ls", "-F", cfg2, "box:")
	if code != 255 || !strings.Contains(errs, "authentication failed") {
		t.Fatalf("encrypted key in BatchMode: exit %d, stderr %q", code, errs)
	}
}

// TestSSHDVerboseWritesDebugLog checks -v on a headless command: debug
// lines on stderr, as ssh -v writes them, and no file in TMPDIR.
func TestSSHDVerboseWritesDebugLog(t *testing.T) {
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	code, _, errs := ferry(t, "ls", "-v", "-F", cfg, "box:")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"debug1: ", "debug: connecting to 127.0.0.1:", "authenticated"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("-v left files in TMPDIR: %v", ents)
	}
}

// TestDebugLogIsPrivate checks the UI's debug log: a 0700 directory, a
// 0600 file, and a symbolic link planted at its name is not followed.
func TestDebugLogIsPrivate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state", "ferry")
	f, p, err := openDebugLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "line")
	f.Close()
	if p != filepath.Join(dir, "debug.log") {
		t.Errorf("path %s", p)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v", fi.Mode().Perm())
	}
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(p)
	if err := os.Symlink(victim, p); err != nil {
		t.Fatal(err)
	}
	if f, _, err := openDebugLog(dir); err == nil {
		f.Close()
		t.Fatal("opened a debug log through a planted symbolic link")
	}
	if b, _ := os.ReadFile(victim); len(b) != 0 {
		t.Fatal("wrote through the link")
	}
}

func TestUIDebugLogInStateDir(t *testing.T) {
	t.Parallel()
	a, _, errb := testApp(t)
	state := t.TempDir()
	a.getenv = func(k string) string {
		if k == "XDG_STATE_HOME" {
			return state
		}
		return ""
	}
	s, err := a.newUISession(connFlags{verbose: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	want := filepath.Join(state, "ferry", "debug.log")
	if _, err := os.Stat(want); err != nil || !strings.Contains(errb.String(), want) {
		t.Fatalf("no debug log at %s (%v); stderr %q", want, err, errb)
	}
}
