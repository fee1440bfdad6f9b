package sshdtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote/internal/testhost"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

func TestSSHDStartServesSFTPInDir(t *testing.T) {
	t.Parallel()
	s := Start(t)
	if s.Addr != net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)) || s.Host != "127.0.0.1" {
		t.Fatalf("Addr %q, Host %q, Port %d disagree", s.Addr, s.Host, s.Port)
	}
	if s.HostKeys.Ed25519 == nil || s.HostKeys.ECDSA == nil {
		t.Fatalf("HostKeys = %+v, want both types by default", s.HostKeys)
	}
	if fi, err := os.Stat(s.ClientKeyPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("client key %s: mode %v, err %v; want 0600", s.ClientKeyPath, fi.Mode().Perm(), err)
	}

	_, sc := s.Dial(t)
	want := testhost.CheckServesDir(t, sc, s.Dir, ".")
	f, err := sc.Open("hello.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("hello.txt over sftp = %q, want %q", got, want)
	}
}

func TestSSHDOtherClientKeyIsRefused(t *testing.T) {
	t.Parallel()
	s := Start(t)
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.ClientConfig()
	cfg.Auth = []ssh.AuthMethod{ssh.PublicKeys(other)}
	c, err := ssh.Dial("tcp", s.Addr, cfg)
	if err == nil {
		c.Close()
		t.Fatal("dial with a key that is not in authorized_keys succeeded")
	}
	if !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("dial with another key: %v, want an authentication failure", err)
	}
	// The server's own client key still gets in, so the refusal above was
	// about the key.
	c, err = ssh.Dial("tcp", s.Addr, s.ClientConfig())
	if err != nil {
		t.Fatalf("dial with ClientSigner: %v", err)
	}
	c.Close()
}

func TestSSHDHostKeyTypesAndKnownHosts(t *testing.T) {
	t.Parallel()
	s := Start(t, WithHostKeyTypes(ssh.KeyAlgoECDSA256))
	if s.HostKeys.Ed25519 != nil || s.HostKeys.ECDSA == nil {
		t.Fatalf("HostKeys = %+v, want only ECDSA", s.HostKeys)
	}
	path := s.WriteKnownHosts(t)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	prefix := "[127.0.0.1]:" + strconv.Itoa(s.Port) + " ecdsa-sha2-nistp256 "
	if line := s.KnownHostsLine(s.HostKeys.ECDSA); string(b) != line+"\n" || !strings.HasPrefix(line, prefix) {
		t.Fatalf("known_hosts = %q, want one line starting %q", b, prefix)
	}
	dial := func(knownHostsPath string, algos ...string) error {
		cb, err := knownhosts.New(knownHostsPath)
		if err != nil {
			t.Fatal(err)
		}
		cfg := s.ClientConfig()
		cfg.HostKeyCallback, cfg.HostKeyAlgorithms = cb, algos
		c, err := ssh.Dial("tcp", s.Addr, cfg)
		if err == nil {
			c.Close()
		}
		return err
	}
	if err := dial(path); err != nil {
		t.Fatalf("dial verified by WriteKnownHosts' file: %v", err)
	}
	if err := dial(path, ssh.KeyAlgoED25519); err == nil {
		t.Fatal("dial asking for an ed25519 host key succeeded; the server should offer only ECDSA")
	}

	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := ssh.NewPublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	var keyErr *knownhosts.KeyError
	if err := dial(s.WriteKnownHosts(t, stranger)); !errors.As(err, &keyErr) || len(keyErr.Want) != 1 {
		t.Fatalf("dial with a stranger's key in known_hosts: %v, want a KeyError naming it", err)
	}
	cfg := s.ClientConfig()
	cfg.HostKeyAlgorithms = []string{ssh.KeyAlgoECDSA256}
	c, err := ssh.Dial("tcp", s.Addr, cfg)
	if err != nil {
		t.Fatalf("ClientConfig refused the server's own ECDSA key: %v", err)
	}
	c.Close()
}

func TestSSHDWithDirAndConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "inbox"), 0o755); err != nil {
		t.Fatal(err)
	}
	banner := filepath.Join(t.TempDir(), "banner")
	if err := os.WriteFile(banner, []byte("sshdtest says hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The Match block would swallow Start's defaults, and sshd would refuse
	// them, if it were not moved to the end.
	s := Start(t, WithDir(filepath.Join(dir, "inbox")), WithConfig(
		"Banner "+banner,
		"Match Address 192.0.2.1",
		"\tPermitRootLogin no",
	))
	var got string
	cfg := s.ClientConfig()
	cfg.BannerCallback = func(msg string) error { got = msg; return nil }
	c, err := ssh.Dial("tcp", s.Addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if got != "sshdtest says hi\n" {
		t.Errorf("banner = %q, want the one WithConfig set", got)
	}
	_, sc := s.Dial(t)
	wd, err := sc.RealPath(".")
	if err != nil {
		t.Fatal(err)
	}
	if wd != s.Dir || filepath.Base(wd) != "inbox" {
		t.Errorf("RealPath(\".\") = %q, want the WithDir directory %q", wd, s.Dir)
	}
}

func TestMissingSSHDSkipsUnlessRequired(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	missing := filepath.Join(t.TempDir(), "sshd")
	testhost.CheckSkipOrFail(t, requireEnv, func(tb testing.TB) string { return findSSHD(tb, missing) },
		missing, requireEnv)
	if got := findSSHD(t, os.Args[0]); got != os.Args[0] {
		t.Errorf("findSSHD with an existing path = %q, want %q", got, os.Args[0])
	}
}
