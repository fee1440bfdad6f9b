package knownhosts

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote/prompt"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"golang.org/x/crypto/ssh"
)

// hkPrompter records host key questions and warnings. answer decides a
// question; nil answers no.
type hkPrompter struct {
	answer func(prompt.HostKeyQuestion) (bool, error)

	mu        sync.Mutex
	questions []prompt.HostKeyQuestion
	warnings  []string
}

func (p *hkPrompter) Secret(context.Context, string) (string, error) { return "", prompt.ErrNoPrompt }

func (p *hkPrompter) KeyboardInteractive(context.Context, string, string, []prompt.Challenge) ([]string, error) {
	return nil, prompt.ErrNoPrompt
}

func (p *hkPrompter) ConfirmHostKey(_ context.Context, q prompt.HostKeyQuestion) (bool, error) {
	p.mu.Lock()
	p.questions = append(p.questions, q)
	answer := p.answer
	p.mu.Unlock()
	if answer == nil {
		return false, nil
	}
	return answer(q)
}

func (p *hkPrompter) Warn(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.warnings = append(p.warnings, msg)
}

func (p *hkPrompter) asked() []prompt.HostKeyQuestion {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.questions)
}

func (p *hkPrompter) warned() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.warnings)
}

// hkHost is the resolved configuration of s with one user known_hosts
// file and no global ones.
func hkHost(s *sshdtest.Server, userFile, strict string) config.Host {
	return config.Host{
		Alias:                 "sshdtest",
		HostName:              s.Host,
		Port:                  s.Port,
		User:                  s.User,
		UserKnownHostsFiles:   []string{userFile},
		StrictHostKeyChecking: strict,
	}
}

// hkOpts changes how hkDial connects.
type hkOpts struct {
	auth   []ssh.AuthMethod        // default: the server's client key
	algos  func([]string) []string // rewrites the algorithms Verifier chose
	before func()                  // runs when the host key callback is entered
}

// hkDial does an SSH handshake with s using k's verifier for h and returns
// the host key the server presented and the handshake's error. It may run
// on any goroutine.
func hkDial(t *testing.T, s *sshdtest.Server, k *Checker, h config.Host, o hkOpts) (ssh.PublicKey, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cb, algos, err := k.Verifier(ctx, h, s.Addr)
	if err != nil {
		return nil, fmt.Errorf("test setup: Verifier: %w", err)
	}
	if o.algos != nil {
		algos = o.algos(algos)
	}
	auth := o.auth
	if auth == nil {
		auth = []ssh.AuthMethod{ssh.PublicKeys(s.ClientSigner)}
	}
	var mu sync.Mutex
	var got ssh.PublicKey
	cfg := &ssh.ClientConfig{
		User:              s.User,
		Auth:              auth,
		HostKeyAlgorithms: algos,
		HostKeyCallback: func(host string, remote net.Addr, key ssh.PublicKey) error {
			mu.Lock()
			got = key
			mu.Unlock()
			if o.before != nil {
				o.before()
			}
			return cb(host, remote, key)
		},
	}
	conn, err := net.DialTimeout("tcp", s.Addr, 10*time.Second)
	if err != nil {
		return nil, fmt.Errorf("test setup: dial %s: %w", s.Addr, err)
	}
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	c, chans, reqs, err := ssh.NewClientConn(conn, s.Addr, cfg)
	mu.Lock()
	defer mu.Unlock()
	if err != nil {
		conn.Close()
		return got, err
	}
	ssh.NewClient(c, chans, reqs).Close()
	return got, nil
}

// hkWrite writes lines to a new known_hosts file and returns its path.
func hkWrite(t *testing.T, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// hkRead returns the contents of path, or "<missing>".
func hkRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "<missing>"
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// hkKeyText is key as known_hosts writes it after the host names.
func hkKeyText(key ssh.PublicKey) string {
	return strings.TrimSuffix(string(ssh.MarshalAuthorizedKey(key)), "\n")
}

// hkStranger returns a new Ed25519 key that no server has.
func hkStranger(t *testing.T) ssh.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// hkSigner returns a new Ed25519 signer, such as a certificate authority.
func hkSigner(t *testing.T) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// hkOutcome classifies a handshake error.
func hkOutcome(err error) string {
	var changed *ChangedKeyError
	var revoked *RevokedKeyError
	var unknown *UnknownKeyError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &changed):
		return "changed"
	case errors.As(err, &revoked):
		return "revoked"
	case errors.As(err, &unknown):
		return "unknown"
	}
	return "error: " + err.Error()
}

// hkOpenSSH runs the real ssh client against s with the known_hosts file
// path, StrictHostKeyChecking yes and BatchMode, and classifies its
// outcome like hkOutcome, also returning its standard error. It returns
// "" when ssh is not installed.
func hkOpenSSH(t *testing.T, s *sshdtest.Server, path string, extra ...string) (string, string) {
	t.Helper()
	bin, err := exec.LookPath("ssh")
	if err != nil {
		return "", ""
	}
	// ssh offers no way to log in: once it has accepted the host key it
	// fails authentication ("Permission denied"), which is the verdict
	// wanted here without the cost of a login session on the server.
	args := []string{"-F", "/dev/null",
		"-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
		"-o", "UserKnownHostsFile=" + path, "-o", "GlobalKnownHostsFile=/dev/null",
		"-o", "PubkeyAuthentication=no", "-o", "PasswordAuthentication=no",
		"-o", "KbdInteractiveAuthentication=no", "-o", "HostbasedAuthentication=no",
		"-o", "GSSAPIAuthentication=no", "-o", "ConnectTimeout=10",
		"-p", strconv.Itoa(s.Port), "-l", s.User}
	args = append(args, extra...)
	args = append(args, s.Host, "true")
	// A minute, so that only a hang fails on a machine busy with other tests.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = nil
	cmd.Stderr = &stderr
	err = cmd.Run()
	out := stderr.String()
	switch {
	case err == nil:
		return "error: logged in without a key", out
	case strings.Contains(out, "Permission denied"):
		return "ok", out
	case strings.Contains(out, "REMOTE HOST IDENTIFICATION HAS CHANGED"):
		return "changed", out
	case strings.Contains(out, "REVOKED HOST KEY"):
		return "revoked", out
	case strings.Contains(out, "host key is known for"):
		return "unknown", out
	}
	return "error: " + err.Error(), out
}

// hkEach runs fn for 0..n-1, four at a time (a server takes ten
// connections that have not logged in yet before it drops some), and
// waits for all of them. fn runs on goroutines of its own: it may report
// with t.Error, not t.Fatal.
func hkEach(n int, fn func(i int)) {
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fn(i)
		}()
	}
	wg.Wait()
}
