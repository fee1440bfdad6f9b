package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/internal/exectest"
)

func TestMatchWithoutSSHNamesFileAndLine(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	cfg := te.install(t, "testdata/match/match.conf")
	_, err := Resolve(Dest{Host: "m1"}, te.options(cfg))
	if err == nil {
		t.Fatal("resolved a file with Match blocks without ssh")
	}
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("error %v does not wrap ErrUnsupported", err)
	}
	if want := cfg + " line 6: Match"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name %q", err, want)
	}
}

func TestMatchInIncludedFileNamesThatFile(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	inc := filepath.Join(te.home, ".ssh", "m.conf")
	if err := os.WriteFile(inc, []byte("Host x\n  User y\nMatch all\n  User z\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(te.home, "cfg")
	if err := os.WriteFile(cfg, []byte("Include m.conf\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Resolve(Dest{Host: "x"}, te.options(cfg))
	if err == nil || !strings.Contains(err.Error(), inc+" line 3") {
		t.Fatalf("error = %v, want it to name %s line 3", err, inc)
	}
}

func TestCanonicalizeHostnameNeedsSSH(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	cfg := filepath.Join(te.home, "cfg")
	data := "Host other\n  CanonicalizeHostname yes\nHost *\n  CanonicalizeHostname no\n"
	if err := os.WriteFile(cfg, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Resolve(Dest{Host: "plain"}, te.options(cfg)); err != nil {
		t.Errorf("CanonicalizeHostname no: %v", err)
	}
	_, err := Resolve(Dest{Host: "other"}, te.options(cfg))
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), cfg+" line 2") {
		t.Errorf("CanonicalizeHostname yes: error = %v, want ErrUnsupported at line 2", err)
	}
}

// TestMatchThroughSSH resolves the Match corpus with the real ssh -G.
func TestMatchThroughSSH(t *testing.T) {
	t.Parallel()
	ssh := findOpenSSH()
	if ssh.skip != "" {
		t.Skip(ssh.skip)
	}
	te := newTestEnv(t)
	cfg := te.install(t, "testdata/match/match.conf")
	for _, tc := range []struct {
		dest     string
		hostName string
		port     int
	}{
		// The Match host line precedes the HostName line, so it does not
		// match m2 in ssh's single pass.
		{"m2", "m2.example.com", 22},
		{"m3", "m3", 2333},
		{"alice@m1", "m1", 22},
	} {
		var log bytes.Buffer
		opts := te.options(cfg)
		opts.SSHPath, opts.SSHEnv, opts.Log = ssh.path, te.sshEnv(), &log
		dest, err := ParseDestination(tc.dest)
		if err != nil {
			t.Fatal(err)
		}
		h, err := Resolve(dest, opts)
		if err != nil {
			t.Fatalf("%s: %v", tc.dest, err)
		}
		if h.HostName != tc.hostName || h.Port != tc.port {
			t.Errorf("%s: hostname %q port %d, want %q %d", tc.dest, h.HostName, h.Port, tc.hostName, tc.port)
		}
		if want := filepath.Join(te.home, ".ssh", "id_"+tc.hostName); len(h.IdentityFiles) != 1 || h.IdentityFiles[0] != want {
			t.Errorf("%s: IdentityFiles %q, want [%s]", tc.dest, h.IdentityFiles, want)
		}
		if want := "nc " + tc.hostName + " " + strconv.Itoa(tc.port); h.ProxyCommand != want {
			t.Errorf("%s: ProxyCommand %q, want %q", tc.dest, h.ProxyCommand, want)
		}
		if !strings.Contains(log.String(), "line 6: Match blocks") || !strings.Contains(log.String(), "-G") {
			t.Errorf("%s: log does not explain the ssh -G fallback:\n%s", tc.dest, log.String())
		}
		var buf bytes.Buffer
		if err := h.WriteG(&buf); err != nil {
			t.Fatal(err)
		}
		theirs, err := te.sshG(t, ssh, dest, opts)
		if err != nil {
			t.Fatal(err)
		}
		// Through the fallback, ssh itself expands ~ in UserKnownHostsFile,
		// with the password database's home: normalise both sides alike.
		compareG(t, tc.dest, te.normalizeHome(gLines(buf.Bytes())), theirs)
	}
}

// fakeSSH writes a shell script standing in for ssh: it records its
// arguments and HOME in a file and prints out.
func fakeSSH(t *testing.T, out string) (path, record string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("needs /bin/sh")
	}
	dir := t.TempDir()
	path = filepath.Join(dir, "ssh")
	record = filepath.Join(dir, "args")
	script := "#!/bin/sh\nprintf '%s\\n' \"HOME=$HOME\" \"$@\" > " + record + "\ncat <<'EOF'\n" + out + "EOF\n"
	if err := exectest.WriteFile(path, []byte(script)); err != nil {
		t.Fatal(err)
	}
	return path, record
}

func TestFallbackParsesSSHGOutput(t *testing.T) {
	t.Parallel()
	out := `host m1
user bob
hostname m1.example.com
port 2200
batchmode yes
identitiesonly yes
stricthostkeychecking true
serveralivecountmax 4
serveraliveinterval 30
ciphers chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com
macs hmac-sha2-256
hostkeyalias ka
identityagent $FERRY_AGENT
identityfile ~/.ssh/id_%r
identityfile /k/%%x
certificatefile %d/c-%k.pub
globalknownhostsfile none
userknownhostsfile /h/.ssh/known_hosts /h/kh2
connecttimeout 9
proxycommand ssh -W %h:%p %n
`
	sshPath, record := fakeSSH(t, out)
	te := newTestEnv(t)
	cfg := te.install(t, "testdata/match/match.conf")
	opts := te.options(cfg)
	opts.SSHPath = sshPath
	opts.Port = 2200
	opts.Jump = "j1"
	opts.Identities = []string{"testdata/keys/id_test"}
	opts.Overrides = []string{"User=x"}
	te.env["FERRY_AGENT"] = "/run/agent.sock"
	h, err := Resolve(Dest{Host: "m1", User: "bob", Port: 2300}, opts)
	if err != nil {
		t.Fatal(err)
	}
	args, err := os.ReadFile(record)
	if err != nil {
		t.Fatal(err)
	}
	wantArgs := strings.Join([]string{"HOME=" + te.home, "-G", "-F", cfg, "-l", "bob", "-p", "2200", "-J", "j1",
		"-i", "testdata/keys/id_test", "-o", "User=x", "-o", "Port=2300", "--", "m1"}, "\n") + "\n"
	if string(args) != wantArgs {
		t.Errorf("ssh ran with\n%s\nwant\n%s", args, wantArgs)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"HostName", h.HostName, "m1.example.com"},
		{"User", h.User, "bob"},
		{"Port", h.Port, 2200},
		{"BatchMode", h.BatchMode, true},
		{"IdentitiesOnly", h.IdentitiesOnly, true},
		{"StrictHostKeyChecking", h.StrictHostKeyChecking, "yes"},
		{"ServerAliveCountMax", h.ServerAliveCountMax, 4},
		{"ServerAliveInterval", h.ServerAliveInterval.String(), "30s"},
		{"Ciphers (default means unset)", len(h.Ciphers), 0},
		{"MACs", strings.Join(h.MACs, ","), "hmac-sha2-256"},
		{"IdentityAgent", h.IdentityAgent, "/run/agent.sock"},
		{"IdentityFiles", strings.Join(h.IdentityFiles, " "), te.home + "/.ssh/id_bob /k/%x"},
		{"CertificateFiles", strings.Join(h.CertificateFiles, " "), te.home + "/c-ka.pub"},
		{"GlobalKnownHostsFiles", len(h.GlobalKnownHostsFiles), 0},
		{"UserKnownHostsFiles", strings.Join(h.UserKnownHostsFiles, " "), "/h/.ssh/known_hosts /h/kh2"},
		{"ConnectTimeout", h.ConnectTimeout.String(), "9s"},
		{"ProxyCommand", h.ProxyCommand, "ssh -W m1.example.com:2200 m1"},
		{"Written.ProxyCommand", h.Written.ProxyCommand, "ssh -W %h:%p %n"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestFallbackReportsSSHFailure(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("needs /bin/sh")
	}
	te := newTestEnv(t)
	cfg := te.install(t, "testdata/match/match.conf")
	script := filepath.Join(t.TempDir(), "ssh")
	if err := exectest.WriteFile(script, []byte("#!/bin/sh\necho 'cfg line 3: Bad Match condition' >&2\nexit 255\n")); err != nil {
		t.Fatal(err)
	}
	opts := te.options(cfg)
	opts.SSHPath = script
	_, err := Resolve(Dest{Host: "m1"}, opts)
	if err == nil || !strings.Contains(err.Error(), "Bad Match condition") {
		t.Errorf("error = %v, want ssh's message", err)
	}
}

// TestNoSSHWithoutUnsupportedConstructs checks that ssh is not run when the
// configuration can be applied directly, even when it is available.
func TestNoSSHWithoutUnsupportedConstructs(t *testing.T) {
	t.Parallel()
	sshPath, record := fakeSSH(t, "hostname wrong\n")
	te := newTestEnv(t)
	cfg := te.install(t, "testdata/corpus/06-include-in-host.conf")
	opts := te.options(cfg)
	opts.SSHPath = sshPath
	h, err := Resolve(Dest{Host: "work-db"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if h.Port != 5432 {
		t.Errorf("Port = %d, want 5432", h.Port)
	}
	if _, err := os.Stat(record); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ssh was run (stat %s: %v)", record, err)
	}
}
