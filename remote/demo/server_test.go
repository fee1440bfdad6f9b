package demo

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

func startSeeded(t *testing.T) *Server {
	t.Helper()
	dir := t.TempDir()
	if err := Seed(dir); err != nil {
		t.Fatal(err)
	}
	s, err := Start(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func clientConfig(s *Server, signer ssh.Signer) *ssh.ClientConfig {
	return &ssh.ClientConfig{
		User:            User,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: ssh.FixedHostKey(s.HostKey),
	}
}

func dialSFTP(t *testing.T, s *Server) *sftp.Client {
	t.Helper()
	c, err := ssh.Dial("tcp", s.Addr, clientConfig(s, s.ClientSigner))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	sc, err := sftp.NewClient(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sc.Close() })
	return sc
}

func TestListenOnlyOnLoopback(t *testing.T) {
	s := startSeeded(t)
	if !strings.HasPrefix(s.Addr, "127.0.0.1:") || s.Port == 0 {
		t.Fatalf("Addr = %q, Port = %d; want 127.0.0.1 and a port", s.Addr, s.Port)
	}
}

func TestListPutGet(t *testing.T) {
	s := startSeeded(t)
	sc := dialSFTP(t, s)

	// The served directory is the client's "/", and sessions start there.
	wd, err := sc.RealPath(".")
	if err != nil {
		t.Fatal(err)
	}
	if wd != "/" {
		t.Fatalf("start directory %q, want \"/\"", wd)
	}
	fis, err := sc.ReadDir(wd)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fi := range fis {
		names = append(names, fi.Name())
	}
	sort.Strings(names)
	want := []string{"README.txt", "big", "empty", "my documents", "notes", "photos", "projects", "Ünïcødé"}
	sort.Strings(want)
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Fatalf("listing = %q, want %q", names, want)
	}
	big, err := sc.Stat(path.Join(wd, "big", "10MiB.bin"))
	if err != nil || big.Size() != BigFileSize {
		t.Fatalf("big file: %v, %v", big, err)
	}

	// put
	payload := bytes.Repeat([]byte("ferry\n"), 100_000)
	f, err := sc.Create(path.Join(wd, "uploaded.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadFrom(bytes.NewReader(payload)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(s.Dir, "uploaded.bin"))
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("uploaded file on disk differs (%d bytes, %v)", len(got), err)
	}

	// get
	r, err := sc.Open(path.Join(wd, "Ünïcødé", "日本語のファイル.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var buf bytes.Buffer
	if _, err := r.WriteTo(&buf); err != nil && err != io.EOF {
		t.Fatal(err)
	}
	if buf.String() != "こんにちは\n" {
		t.Fatalf("downloaded %q", buf.String())
	}
}

func TestWrongClientKeyRefused(t *testing.T) {
	s := startSeeded(t)
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	other, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ssh.Dial("tcp", s.Addr, clientConfig(s, other))
	if err == nil {
		c.Close()
		t.Fatal("a key the server does not hold was accepted")
	}
	if !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("unexpected error: %v", err)
	}
}

func TestWrongUserRefused(t *testing.T) {
	s := startSeeded(t)
	cfg := clientConfig(s, s.ClientSigner)
	cfg.User = "root"
	if c, err := ssh.Dial("tcp", s.Addr, cfg); err == nil {
		c.Close()
		t.Fatal("the right key under another user name was accepted")
	}
}

func TestNoShellOrExec(t *testing.T) {
	s := startSeeded(t)
	c, err := ssh.Dial("tcp", s.Addr, clientConfig(s, s.ClientSigner))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.Run("id"); err == nil {
		t.Fatal("exec request was accepted; the demo offers only sftp")
	}
}

func TestCloseDropsConnections(t *testing.T) {
	s := startSeeded(t)
	sc := dialSFTP(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.ReadDir("/"); err == nil {
		t.Fatal("connection still works after Close")
	}
}

func TestWriteClientFilesAndCommand(t *testing.T) {
	s := startSeeded(t)
	dir := t.TempDir()
	key, kh, err := s.WriteClientFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{key, kh} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s mode %v, want 0600", p, fi.Mode().Perm())
		}
	}
	b, _ := os.ReadFile(kh)
	if !strings.HasPrefix(string(b), "[127.0.0.1]:") {
		t.Fatalf("known_hosts line %q", b)
	}
	cmd := s.SFTPCommand(key, kh)
	if !strings.HasPrefix(cmd, "sftp -P ") || !strings.Contains(cmd, "StrictHostKeyChecking=yes") {
		t.Fatalf("command %q", cmd)
	}
}

func TestStartInStartsSessionsThere(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "home", "demo"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "home", "demo", "here.txt"), []byte("here"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := StartIn(dir, "/home/demo/")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	sc := dialSFTP(t, s)
	if wd, err := sc.RealPath("."); err != nil || wd != "/home/demo" {
		t.Fatalf("RealPath(\".\") = %q, %v; want /home/demo", wd, err)
	}
	if fi, err := sc.Stat("here.txt"); err != nil || fi.Size() != 4 {
		t.Fatalf("a relative path is not relative to the start directory: %v, %v", fi, err)
	}
	if fis, err := sc.ReadDir("../../.."); err != nil || len(fis) != 1 || fis[0].Name() != "home" {
		t.Fatalf("ReadDir(\"../../..\") = %v, %v; want the served directory", fis, err)
	}
	for _, start := range []string{"home", "/missing", "/home/demo/here.txt"} {
		if s, err := StartIn(dir, start); err == nil {
			s.Close()
			t.Errorf("StartIn(dir, %q) succeeded", start)
		}
	}
}
