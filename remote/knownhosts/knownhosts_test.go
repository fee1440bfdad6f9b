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
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote/prompt"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"golang.org/x/crypto/ssh"
	xknownhosts "golang.org/x/crypto/ssh/knownhosts"
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
	args := []string{"-F", "/dev/null",
		"-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
		"-o", "UserKnownHostsFile=" + path, "-o", "GlobalKnownHostsFile=/dev/null",
		"-o", "IdentitiesOnly=yes", "-i", s.ClientKeyPath, "-o", "ConnectTimeout=10",
		"-p", strconv.Itoa(s.Port), "-l", s.User}
	args = append(args, extra...)
	args = append(args, s.Host, "true")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = nil
	cmd.Stderr = &stderr
	err = cmd.Run()
	out := stderr.String()
	switch {
	case err == nil:
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

func TestSSHDHostKeyKnownEd25519Only(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t) // offers Ed25519 and ECDSA
	path := s.WriteKnownHosts(t, s.HostKeys.Ed25519)
	before := hkRead(t, path)
	p := &hkPrompter{}
	k := New(p)
	for _, strict := range []string{"yes", "ask", "accept-new", "no"} {
		key, err := hkDial(t, s, k, hkHost(s, path, strict), hkOpts{})
		if err != nil {
			t.Fatalf("StrictHostKeyChecking %s: %v", strict, err)
		}
		if key.Type() != ssh.KeyAlgoED25519 {
			t.Errorf("StrictHostKeyChecking %s: server presented %s, want the known ssh-ed25519", strict, key.Type())
		}
	}
	if got := hkRead(t, path); got != before {
		t.Errorf("known_hosts changed:\n%s", got)
	}
	if q := p.asked(); len(q) != 0 {
		t.Errorf("asked %v about a known key", q)
	}

	_, algos, err := k.Verifier(context.Background(), hkHost(s, path, "yes"), s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	if len(algos) < 3 || algos[0] != ssh.CertAlgoED25519v01 || algos[1] != ssh.KeyAlgoED25519 ||
		!slices.Contains(algos, ssh.KeyAlgoECDSA256) {
		t.Errorf("HostKeyAlgorithms = %v, want the Ed25519 ones first and ECDSA still offered", algos)
	}

	// The control: with x/crypto's default order the server's ECDSA key is
	// negotiated, and it is rightly a changed key, as ssh reports it when
	// asked for ECDSA.
	_, err = hkDial(t, s, k, hkHost(s, path, "yes"), hkOpts{algos: func([]string) []string { return nil }})
	var changed *ChangedKeyError
	if !errors.As(err, &changed) || changed.KeyType != ssh.KeyAlgoECDSA256 || changed.KnownKeyType != ssh.KeyAlgoED25519 {
		t.Fatalf("dial with x/crypto's default algorithms: %v, want a changed ECDSA key", err)
	}
	if got, _ := hkOpenSSH(t, s, path, "-o", "HostKeyAlgorithms=ecdsa-sha2-nistp256"); got != "" && got != "changed" {
		t.Errorf("ssh asking for ECDSA: %s, want changed", got)
	}
	if got, out := hkOpenSSH(t, s, path); got != "" && got != "ok" {
		t.Errorf("ssh with its default algorithms: %s\n%s", got, out)
	}

	// Known by ECDSA only: OpenSSH's default order prefers Ed25519, so
	// only the reordering gets the known key.
	path = s.WriteKnownHosts(t, s.HostKeys.ECDSA)
	key, err := hkDial(t, s, k, hkHost(s, path, "yes"), hkOpts{})
	if err != nil || key.Type() != ssh.KeyAlgoECDSA256 {
		t.Fatalf("known by ECDSA only: %v (server presented %v)", err, key)
	}
	if got, out := hkOpenSSH(t, s, path); got != "" && got != "ok" {
		t.Errorf("ssh, known by ECDSA only: %s\n%s", got, out)
	}
}

func TestSSHDHostKeyHashedEntry(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	name := "[127.0.0.1]:" + strconv.Itoa(s.Port)
	other := "[127.0.0.1]:" + strconv.Itoa(s.Port+1)
	key := hkKeyText(s.HostKeys.Ed25519)
	k := New(&hkPrompter{})

	path := hkWrite(t, xknownhosts.HashHostname(other)+" "+key, xknownhosts.HashHostname(name)+" "+key)
	if _, err := hkDial(t, s, k, hkHost(s, path, "yes"), hkOpts{}); err != nil {
		t.Fatalf("hashed entry for %s: %v", name, err)
	}

	path = hkWrite(t, xknownhosts.HashHostname(other)+" "+key)
	if _, err := hkDial(t, s, k, hkHost(s, path, "yes"), hkOpts{}); hkOutcome(err) != "unknown" {
		t.Fatalf("hashed entry for another port only: %v, want unknown", err)
	}

	path = hkWrite(t, "# hashed", xknownhosts.HashHostname(name)+" "+hkKeyText(hkStranger(t)))
	_, err := hkDial(t, s, k, hkHost(s, path, "yes"), hkOpts{})
	var changed *ChangedKeyError
	if !errors.As(err, &changed) || changed.File != path || changed.Line != 2 || changed.Host != name {
		t.Fatalf("hashed entry with another key: %v, want changed at %s:2", err, path)
	}
}

func TestSSHDHostKeyPatternsLikeOpenSSH(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	port := strconv.Itoa(s.Port)
	key := hkKeyText(s.HostKeys.Ed25519)
	stranger := hkKeyText(hkStranger(t))
	for _, tc := range []struct {
		line, want string
	}{
		{"[127.0.0.1]:" + port + " " + key, "ok"},
		{"127.0.0.1 " + key, "ok"}, // OpenSSH retries without the port
		{xknownhosts.HashHostname("127.0.0.1") + " " + key, "ok"},
		{"[127.0.0.*]:" + port + " " + key, "ok"},
		{"[127.0.0.?]:" + port + " " + key, "ok"},
		{"[127.0.0.1]:* " + key, "ok"},
		{"127.0.0.* " + key, "ok"},
		{"* " + key, "ok"},
		{"web1,[127.0.0.1]:" + port + " " + key, "ok"},
		{"!127.0.0.1,* " + key, "ok"},
		{"![127.0.0.1]:" + port + ",* " + key, "ok"}, // negated, but the bare name matches *
		{"![127.0.0.1]:" + port + ",!127.0.0.1,* " + key, "unknown"},
		{"[127.0.0.1]:" + strconv.Itoa(s.Port+1) + " " + key, "unknown"},
		{"127.0.0.2 " + key, "unknown"},
		{"[127.0.0.1]:" + port + " " + stranger, "changed"},
		{"* " + stranger, "changed"},
		{"127.0.0.1 " + stranger, "unknown"}, // the bare name is checked quietly
		{"@revoked * " + key + "\n[127.0.0.1]:" + port + " " + key, "revoked"},
		{"@revoked web1 " + key + "\n[127.0.0.1]:" + port + " " + key, "ok"}, // not for this host
	} {
		path := hkWrite(t, tc.line)
		k := New(&hkPrompter{})
		_, err := hkDial(t, s, k, hkHost(s, path, "yes"), hkOpts{})
		if got := hkOutcome(err); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.line, got, tc.want)
		}
		if got, out := hkOpenSSH(t, s, path); got != "" && got != tc.want {
			t.Errorf("%q: OpenSSH says %s, the test wants %s\n%s", tc.line, got, tc.want, out)
		}
	}
}

func TestSSHDHostKeyChangedRefusedInEveryMode(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519),
		sshdtest.WithConfig("PasswordAuthentication yes", "KbdInteractiveAuthentication yes"))
	name := "[127.0.0.1]:" + strconv.Itoa(s.Port)
	path := hkWrite(t,
		"# ferry test",
		"web1 "+hkKeyText(hkStranger(t)),
		name+" "+hkKeyText(hkStranger(t)),
	)
	before := hkRead(t, path)
	fp := ssh.FingerprintSHA256(s.HostKeys.Ed25519)

	var secrets atomic.Int32
	auth := []ssh.AuthMethod{
		ssh.PasswordCallback(func() (string, error) {
			secrets.Add(1)
			return "", errors.New("test: no password")
		}),
		ssh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			secrets.Add(1)
			return nil, errors.New("test: no answers")
		}),
	}
	for _, strict := range []string{"yes", "ask", "accept-new", "no", "off"} {
		p := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return true, nil }}
		_, err := hkDial(t, s, New(p), hkHost(s, path, strict), hkOpts{auth: auth})
		var changed *ChangedKeyError
		if !errors.As(err, &changed) {
			t.Fatalf("StrictHostKeyChecking %s: %v, want a ChangedKeyError", strict, err)
		}
		if changed.Host != name || changed.KeyType != ssh.KeyAlgoED25519 || changed.Fingerprint != fp ||
			changed.File != path || changed.Line != 3 || changed.AddTo != path {
			t.Errorf("StrictHostKeyChecking %s: %+v", strict, *changed)
		}
		msg := err.Error()
		for _, want := range []string{
			"@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @",
			"The fingerprint for the ED25519 key sent by the remote host is\n" + fp + ".",
			fmt.Sprintf("Offending ED25519 key in %s:3", path),
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("StrictHostKeyChecking %s: message lacks %q:\n%s", strict, want, msg)
			}
		}
		if q := p.asked(); len(q) != 0 {
			t.Errorf("StrictHostKeyChecking %s: asked %v", strict, q)
		}
		if got := hkRead(t, path); got != before {
			t.Errorf("StrictHostKeyChecking %s: known_hosts changed:\n%s", strict, got)
		}
	}
	if n := secrets.Load(); n != 0 {
		t.Errorf("%d password or keyboard-interactive callbacks ran after a changed host key", n)
	}
	// Under yes, the message is ssh's, line for line.
	if got, out := hkOpenSSH(t, s, path); got != "" {
		_, err := hkDial(t, s, New(nil), hkHost(s, path, "yes"), hkOpts{auth: auth})
		var changed *ChangedKeyError
		out = strings.TrimSpace(strings.ReplaceAll(out, "\r\n", "\n"))
		if !errors.As(err, &changed) || out != changed.Error() {
			t.Errorf("ssh says:\n%s\nferry says:\n%s", out, changed.Error())
		}
	}
	// The control: with the right key known, the server does get to ask
	// for a password, so the check above can fail.
	good := s.WriteKnownHosts(t)
	if _, err := hkDial(t, s, New(nil), hkHost(s, good, "yes"), hkOpts{auth: auth}); err == nil {
		t.Fatal("password login succeeded with a callback that gives no password")
	}
	if secrets.Load() == 0 {
		t.Fatal("the control dial never asked for a password: the test above proves nothing")
	}
}

func TestSSHDHostKeyRevokedRefusedInEveryMode(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	name := "[127.0.0.1]:" + strconv.Itoa(s.Port)
	key := hkKeyText(s.HostKeys.Ed25519)
	path := hkWrite(t, name+" "+key, "@revoked * "+key)
	before := hkRead(t, path)
	for _, strict := range []string{"yes", "ask", "accept-new", "no", "off"} {
		p := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return true, nil }}
		_, err := hkDial(t, s, New(p), hkHost(s, path, strict), hkOpts{})
		var revoked *RevokedKeyError
		if !errors.As(err, &revoked) || revoked.File != path || revoked.Line != 2 || revoked.Host != name ||
			revoked.Fingerprint != ssh.FingerprintSHA256(s.HostKeys.Ed25519) {
			t.Fatalf("StrictHostKeyChecking %s: %v, want revoked by %s:2", strict, err, path)
		}
		if !strings.Contains(err.Error(), "WARNING: REVOKED HOST KEY DETECTED!") {
			t.Errorf("message: %s", err)
		}
		if len(p.asked()) != 0 || hkRead(t, path) != before {
			t.Errorf("StrictHostKeyChecking %s: asked %v; known_hosts now %q", strict, p.asked(), hkRead(t, path))
		}
	}
	// A revoked key that is otherwise unknown is not asked about either.
	path = hkWrite(t, "@revoked * "+key)
	p := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return true, nil }}
	if _, err := hkDial(t, s, New(p), hkHost(s, path, "ask"), hkOpts{}); hkOutcome(err) != "revoked" {
		t.Fatalf("revoked unknown key: %v", err)
	}
	if len(p.asked()) != 0 {
		t.Errorf("asked %v about a revoked key", p.asked())
	}
}

func TestSSHDHostKeyUnknownStrictYesWritesNothing(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	dir := filepath.Join(t.TempDir(), ".ssh")
	path := filepath.Join(dir, "known_hosts")
	p := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return true, nil }}
	_, err := hkDial(t, s, New(p), hkHost(s, path, "yes"), hkOpts{})
	var unknown *UnknownKeyError
	if !errors.As(err, &unknown) || unknown.Err != nil || unknown.KeyType != ssh.KeyAlgoED25519 ||
		unknown.Fingerprint != ssh.FingerprintSHA256(s.HostKeys.Ed25519) {
		t.Fatalf("dial: %v, want a UnknownKeyError", err)
	}
	want := fmt.Sprintf("No ED25519 host key is known for [127.0.0.1]:%d and you have requested strict checking.", s.Port)
	if !strings.Contains(err.Error(), want) {
		t.Errorf("message %q lacks %q", err, want)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s was created (%v)", dir, err)
	}
	if len(p.asked()) != 0 {
		t.Errorf("asked %v under StrictHostKeyChecking yes", p.asked())
	}

	path = hkWrite(t, "# nothing here", "web1 "+hkKeyText(hkStranger(t)))
	before := hkRead(t, path)
	if _, err := hkDial(t, s, New(p), hkHost(s, path, "yes"), hkOpts{}); hkOutcome(err) != "unknown" {
		t.Fatalf("dial: %v, want unknown", err)
	}
	if got := hkRead(t, path); got != before {
		t.Errorf("known_hosts changed:\n%s", got)
	}

	// Without a UserKnownHostsFile nothing can be recorded, so OpenSSH
	// refuses new keys in every mode.
	h := hkHost(s, path, "accept-new")
	h.UserKnownHostsFiles = nil
	if _, err := hkDial(t, s, New(p), h, hkOpts{}); !errors.Is(err, errNoUserFile) {
		t.Errorf("accept-new without a user file: %v", err)
	}
}

func TestSSHDHostKeyAcceptNewWritesOnce(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	want := s.KnownHostsLine(s.HostKeys.Ed25519) + "\n"
	for _, strict := range []string{"accept-new", "no", "off"} {
		dir := filepath.Join(t.TempDir(), "home", ".ssh")
		path := filepath.Join(dir, "known_hosts")
		p := &hkPrompter{}
		if _, err := hkDial(t, s, New(p), hkHost(s, path, strict), hkOpts{}); err != nil {
			t.Fatalf("%s: first dial: %v", strict, err)
		}
		if got := hkRead(t, path); got != want {
			t.Fatalf("%s: known_hosts = %q, want %q", strict, got, want)
		}
		if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %s: %v, mode %v, want 0700", strict, dir, err, fi.Mode().Perm())
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %s: %v, mode %v, want 0600", strict, path, err, fi.Mode().Perm())
		}
		addedMsg := fmt.Sprintf("Warning: Permanently added '[127.0.0.1]:%d' (ED25519) to the list of known hosts.", s.Port)
		if w := p.warned(); len(w) != 1 || w[0] != addedMsg {
			t.Errorf("%s: warnings %q, want %q", strict, w, addedMsg)
		}
		// A second connection, from another process as far as the
		// in-memory state goes, finds the key and writes nothing.
		if _, err := hkDial(t, s, New(p), hkHost(s, path, strict), hkOpts{}); err != nil {
			t.Fatalf("%s: second dial: %v", strict, err)
		}
		if _, err := hkDial(t, s, New(p), hkHost(s, path, "yes"), hkOpts{}); err != nil {
			t.Fatalf("%s: dial under yes after recording: %v", strict, err)
		}
		if got := hkRead(t, path); got != want {
			t.Errorf("%s: after more dials known_hosts = %q, want %q", strict, got, want)
		}
		if len(p.asked()) != 0 {
			t.Errorf("%s: asked %v", strict, p.asked())
		}
	}

	// The entry never joins a last line that lacks its newline.
	path := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(path, []byte("# no newline at the end"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := hkDial(t, s, New(nil), hkHost(s, path, "accept-new"), hkOpts{}); err != nil {
		t.Fatal(err)
	}
	if got := hkRead(t, path); got != "# no newline at the end\n"+want {
		t.Errorf("known_hosts = %q", got)
	}
}

func TestSSHDHostKeyAskRecordsYesRefusesNo(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	path := filepath.Join(t.TempDir(), "known_hosts")
	wantQ := prompt.HostKeyQuestion{
		Host:        "[127.0.0.1]:" + strconv.Itoa(s.Port),
		KeyType:     ssh.KeyAlgoED25519,
		Fingerprint: ssh.FingerprintSHA256(s.HostKeys.Ed25519),
	}

	no := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return false, nil }}
	_, err := hkDial(t, s, New(no), hkHost(s, path, "ask"), hkOpts{})
	if !errors.Is(err, ErrDeclined) || hkOutcome(err) != "unknown" {
		t.Fatalf("answer no: %v", err)
	}
	if q := no.asked(); len(q) != 1 || q[0] != wantQ {
		t.Fatalf("questions %+v, want one %+v", q, wantQ)
	}
	if got := hkRead(t, path); got != "<missing>" {
		t.Fatalf("known_hosts after no: %q", got)
	}

	cannot := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return false, prompt.ErrNoPrompt }}
	if _, err := hkDial(t, s, New(cannot), hkHost(s, path, ""), hkOpts{}); !errors.Is(err, prompt.ErrNoPrompt) {
		t.Fatalf("prompter that cannot ask (default mode): %v", err)
	}
	batch := hkHost(s, path, "ask")
	batch.BatchMode = true
	yes := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return true, nil }}
	if _, err := hkDial(t, s, New(yes), batch, hkOpts{}); !errors.Is(err, prompt.ErrNoPrompt) || len(yes.asked()) != 0 {
		t.Fatalf("BatchMode: %v, asked %v", err, yes.asked())
	}
	if got := hkRead(t, path); got != "<missing>" {
		t.Fatalf("known_hosts: %q", got)
	}

	k := New(yes)
	if _, err := hkDial(t, s, k, hkHost(s, path, "ask"), hkOpts{}); err != nil {
		t.Fatalf("answer yes: %v", err)
	}
	if q := yes.asked(); len(q) != 1 || q[0] != wantQ {
		t.Fatalf("questions %+v, want one %+v", q, wantQ)
	}
	if got, want := hkRead(t, path), s.KnownHostsLine(s.HostKeys.Ed25519)+"\n"; got != want {
		t.Fatalf("known_hosts = %q, want %q", got, want)
	}
	if _, err := hkDial(t, s, New(yes), hkHost(s, path, "ask"), hkOpts{}); err != nil {
		t.Fatalf("dial after yes: %v", err)
	}
	if q := yes.asked(); len(q) != 1 {
		t.Errorf("asked again about a recorded key: %+v", q)
	}

	// A key accepted but not recorded (the write failed) lets the
	// connection go ahead, as in ssh, and is not asked about again by the
	// same process.
	blocker := filepath.Join(t.TempDir(), "not-a-directory")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	unwritable := filepath.Join(blocker, "known_hosts")
	again := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return true, nil }}
	k = New(again)
	for range 2 {
		if _, err := hkDial(t, s, k, hkHost(s, unwritable, "ask"), hkOpts{}); err != nil {
			t.Fatalf("accepted key that cannot be recorded: %v", err)
		}
	}
	if q := again.asked(); len(q) != 1 {
		t.Errorf("asked %d times about a key accepted in this process, want once", len(q))
	}
	failed := "Failed to add the host to the list of known hosts (" + unwritable + ")"
	if !slices.ContainsFunc(again.warned(), func(w string) bool { return strings.HasPrefix(w, failed) }) {
		t.Errorf("warnings %q lack %q", again.warned(), failed)
	}
}

func TestSSHDHostKeyHashKnownHosts(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	path := filepath.Join(t.TempDir(), "known_hosts")
	h := hkHost(s, path, "accept-new")
	h.HashKnownHosts = true
	if _, err := hkDial(t, s, New(nil), h, hkOpts{}); err != nil {
		t.Fatal(err)
	}
	content := hkRead(t, path)
	fields := strings.Fields(content)
	if strings.Count(content, "\n") != 1 || len(fields) != 3 || !strings.HasPrefix(fields[0], "|1|") ||
		strings.Contains(content, "127.0.0.1") || fields[1]+" "+fields[2] != hkKeyText(s.HostKeys.Ed25519) {
		t.Fatalf("known_hosts = %q, want one hashed line", content)
	}
	// x/crypto's independent implementation finds the entry...
	cb, err := xknownhosts.New(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := cb(s.Addr, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: s.Port}, s.HostKeys.Ed25519); err != nil {
		t.Errorf("x/crypto/ssh/knownhosts does not match the hashed entry: %v", err)
	}
	// ...and so does OpenSSH.
	if bin, err := exec.LookPath("ssh-keygen"); err == nil {
		out, err := exec.Command(bin, "-F", "[127.0.0.1]:"+strconv.Itoa(s.Port), "-f", path).CombinedOutput()
		if err != nil || !strings.Contains(string(out), fields[0]) {
			t.Errorf("ssh-keygen -F does not find the hashed entry: %v\n%s", err, out)
		}
	}
	h.StrictHostKeyChecking = "yes"
	if _, err := hkDial(t, s, New(nil), h, hkOpts{}); err != nil {
		t.Fatalf("next connection: %v", err)
	}
	if got := hkRead(t, path); got != content {
		t.Errorf("known_hosts changed to %q", got)
	}
}

func TestSSHDHostKeyMalformedLinesSkipped(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	name := "[127.0.0.1]:" + strconv.Itoa(s.Port)
	key := hkKeyText(s.HostKeys.Ed25519)
	path := hkWrite(t,
		"garbage",
		name+" ssh-ed25519 AAAA",
		"@bogus * "+key,
		"|1|c2FsdA==|aGFzaA== "+key,
		"# a comment",
		"",
		name+" "+key,
	)
	if _, err := xknownhosts.New(path); err == nil {
		t.Fatal("x/crypto/ssh/knownhosts accepts the file; the malformed lines test nothing")
	}
	p := &hkPrompter{}
	k := New(p)
	for range 2 {
		if _, err := hkDial(t, s, k, hkHost(s, path, "yes"), hkOpts{}); err != nil {
			t.Fatalf("dial: %v", err)
		}
	}
	w := p.warned()
	for _, line := range []int{1, 2, 3, 4} {
		loc := fmt.Sprintf("%s:%d:", path, line)
		if n := slices.IndexFunc(w, func(m string) bool { return strings.Contains(m, loc) }); n < 0 {
			t.Errorf("no warning names %s; warnings: %q", loc, w)
		}
	}
	if len(w) != 4 {
		t.Errorf("warnings %q, want one for each of the 4 bad lines, once", w)
	}

	// A bad line does not hide a changed key, nor shift its line number.
	path = hkWrite(t, "[127.0.0.1 broken", name+" "+hkKeyText(hkStranger(t)))
	_, err := hkDial(t, s, New(p), hkHost(s, path, "no"), hkOpts{})
	var changed *ChangedKeyError
	if !errors.As(err, &changed) || changed.Line != 2 {
		t.Fatalf("changed key after a bad line: %v", err)
	}
}

func TestSSHDHostKeyConcurrentDialsAskOnce(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	for _, answer := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "known_hosts")
		release := make(chan struct{})
		p := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) {
			<-release
			return answer, nil
		}}
		k := New(p)
		const n = 6
		var entered atomic.Int32
		errs := make(chan error, n)
		for range n {
			go func() {
				_, err := hkDial(t, s, k, hkHost(s, path, "ask"), hkOpts{before: func() { entered.Add(1) }})
				errs <- err
			}()
		}
		deadline := time.Now().Add(20 * time.Second)
		for entered.Load() < n && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if entered.Load() < n {
			t.Fatalf("only %d of %d handshakes reached the host key check", entered.Load(), n)
		}
		close(release)
		for range n {
			err := <-errs
			if answer && err != nil {
				t.Errorf("answer yes: %v", err)
			}
			if !answer && !errors.Is(err, ErrDeclined) {
				t.Errorf("answer no: %v", err)
			}
		}
		if q := p.asked(); len(q) != 1 {
			t.Errorf("answer %v: asked %d times, want once", answer, len(q))
		}
		want := "<missing>"
		if answer {
			want = s.KnownHostsLine(s.HostKeys.Ed25519) + "\n"
		}
		if got := hkRead(t, path); got != want {
			t.Errorf("answer %v: known_hosts = %q, want %q", answer, got, want)
		}
	}
}

// hkStartWithCert starts sshd with an Ed25519 host key and a host
// certificate for it, signed by ca for principals (sshd loads the
// certificate for each connection, so it can be written after Start).
func hkStartWithCert(t *testing.T, ca ssh.Signer, principals ...string) *sshdtest.Server {
	t.Helper()
	certPath := filepath.Join(t.TempDir(), "ssh_host_ed25519_key-cert.pub")
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519), sshdtest.WithConfig("HostCertificate "+certPath))
	cert := &ssh.Certificate{
		Key:             s.HostKeys.Ed25519,
		Serial:          1,
		CertType:        ssh.HostCert,
		KeyId:           "ferry test host",
		ValidPrincipals: principals,
		ValidAfter:      uint64(time.Now().Add(-time.Hour).Unix()),
		ValidBefore:     uint64(time.Now().Add(time.Hour).Unix()),
	}
	if err := cert.SignCert(rand.Reader, ca); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certPath, ssh.MarshalAuthorizedKey(cert), 0o644); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSSHDHostKeyCertAuthority(t *testing.T) {
	t.Parallel()
	ca := hkSigner(t)
	s := hkStartWithCert(t, ca, "127.0.0.1")
	caText := hkKeyText(ca.PublicKey())
	name := "[127.0.0.1]:" + strconv.Itoa(s.Port)

	path := hkWrite(t, "@cert-authority * "+caText)
	key, err := hkDial(t, s, New(nil), hkHost(s, path, "yes"), hkOpts{})
	if err != nil {
		t.Fatalf("host certificate from a listed CA: %v", err)
	}
	if _, ok := key.(*ssh.Certificate); !ok {
		t.Fatalf("server presented %s, want its certificate", key.Type())
	}
	if got, out := hkOpenSSH(t, s, path); got != "" && got != "ok" {
		t.Errorf("OpenSSH: %s\n%s", got, out)
	}
	_, algos, err := New(nil).Verifier(context.Background(), hkHost(s, path, "yes"), s.Addr)
	if err != nil || !strings.HasSuffix(algos[0], certSuffix) {
		t.Errorf("HostKeyAlgorithms = %v, %v; want certificates first", algos, err)
	}

	// accept-new accepts it too, and has nothing to write.
	if _, err := hkDial(t, s, New(nil), hkHost(s, path, "accept-new"), hkOpts{}); err != nil {
		t.Fatal(err)
	}
	if got := hkRead(t, path); got != "@cert-authority * "+caText+"\n" {
		t.Errorf("known_hosts = %q", got)
	}

	for _, tc := range []struct {
		lines []string
		alias string
		want  string
	}{
		{lines: []string{"@cert-authority 127.0.0.1 " + caText}, want: "ok"}, // the bare name, as OpenSSH
		{lines: []string{"@cert-authority *.example.com " + caText}, want: "unknown"},
		{lines: []string{"@cert-authority * " + hkKeyText(hkSigner(t).PublicKey())}, want: "unknown"},
		{lines: []string{"@cert-authority * " + caText, "@revoked * " + caText}, want: "revoked"},
		{lines: []string{"@cert-authority * " + caText, "@revoked * " + hkKeyText(s.HostKeys.Ed25519)}, want: "revoked"},
		// A certificate not issued for the name is judged by its key.
		{lines: []string{"@cert-authority * " + caText}, alias: "db.example", want: "unknown"},
		{lines: []string{"@cert-authority * " + caText, "db.example " + hkKeyText(s.HostKeys.Ed25519)}, alias: "db.example", want: "ok"},
		{lines: []string{"@cert-authority *.example.com " + caText, name + " " + hkKeyText(s.HostKeys.Ed25519)}, want: "ok"},
	} {
		path := hkWrite(t, tc.lines...)
		h := hkHost(s, path, "yes")
		h.HostKeyAlias = tc.alias
		p := &hkPrompter{}
		_, err := hkDial(t, s, New(p), h, hkOpts{})
		if got := hkOutcome(err); got != tc.want {
			t.Errorf("%q alias %q: %s, want %s", tc.lines, tc.alias, got, tc.want)
		}
		var extra []string
		if tc.alias != "" {
			extra = []string{"-o", "HostKeyAlias=" + tc.alias}
			if !slices.ContainsFunc(p.warned(), func(w string) bool { return strings.Contains(w, "principal") }) {
				t.Errorf("alias %q: no warning about the principal: %q", tc.alias, p.warned())
			}
		}
		if got, out := hkOpenSSH(t, s, path, extra...); got != "" && got != tc.want {
			t.Errorf("%q alias %q: OpenSSH says %s, the test wants %s\n%s", tc.lines, tc.alias, got, tc.want, out)
		}
	}
}

func TestSSHDHostKeyAlias(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	key := hkKeyText(s.HostKeys.Ed25519)
	withAlias := func(path, strict, alias string) config.Host {
		h := hkHost(s, path, strict)
		h.HostKeyAlias = alias
		return h
	}

	path := hkWrite(t, "myalias "+key)
	if _, err := hkDial(t, s, New(nil), withAlias(path, "yes", "MyAlias"), hkOpts{}); err != nil {
		t.Fatalf("known by its alias: %v", err)
	}
	path = hkWrite(t, xknownhosts.HashHostname("myalias")+" "+key)
	if _, err := hkDial(t, s, New(nil), withAlias(path, "yes", "MyAlias"), hkOpts{}); err != nil {
		t.Fatalf("known by its hashed alias: %v", err)
	}
	if got, out := hkOpenSSH(t, s, path, "-o", "HostKeyAlias=MyAlias"); got != "" && got != "ok" {
		t.Errorf("OpenSSH: %s\n%s", got, out)
	}
	// With an alias, the address is not looked up at all.
	path = s.WriteKnownHosts(t)
	if _, err := hkDial(t, s, New(nil), withAlias(path, "yes", "MyAlias"), hkOpts{}); hkOutcome(err) != "unknown" {
		t.Fatalf("known by address only: %v, want unknown", err)
	}

	path = filepath.Join(t.TempDir(), "known_hosts")
	p := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return true, nil }}
	if _, err := hkDial(t, s, New(p), withAlias(path, "ask", "MyAlias"), hkOpts{}); err != nil {
		t.Fatal(err)
	}
	if q := p.asked(); len(q) != 1 || q[0].Host != "myalias" {
		t.Errorf("questions %+v, want one about myalias", q)
	}
	if got := hkRead(t, path); got != "myalias "+key+"\n" {
		t.Errorf("known_hosts = %q", got)
	}

	for _, alias := range []string{"two,names", "a b", "*", "x#y", "!neg", "line\nbreak"} {
		path := filepath.Join(t.TempDir(), "known_hosts")
		_, err := hkDial(t, s, New(nil), withAlias(path, "accept-new", alias), hkOpts{})
		var unknown *UnknownKeyError
		if !errors.As(err, &unknown) || unknown.Err == nil {
			t.Errorf("alias %q: %v, want the key refused", alias, err)
		}
		if got := hkRead(t, path); got != "<missing>" {
			t.Errorf("alias %q: known_hosts = %q", alias, got)
		}
	}
}

func TestSSHDHostKeyGlobalFile(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	user := filepath.Join(t.TempDir(), "known_hosts")
	global := s.WriteKnownHosts(t)
	h := hkHost(s, user, "yes")
	h.GlobalKnownHostsFiles = []string{filepath.Join(t.TempDir(), "missing"), global}
	if _, err := hkDial(t, s, New(nil), h, hkOpts{}); err != nil {
		t.Fatalf("known in the global file: %v", err)
	}

	global = hkWrite(t, "# global", "[127.0.0.1]:"+strconv.Itoa(s.Port)+" "+hkKeyText(hkStranger(t)))
	h.GlobalKnownHostsFiles = []string{global}
	h.StrictHostKeyChecking = "accept-new"
	_, err := hkDial(t, s, New(nil), h, hkOpts{})
	var changed *ChangedKeyError
	if !errors.As(err, &changed) || changed.File != global || changed.Line != 2 || changed.AddTo != user {
		t.Fatalf("changed in the global file: %v", err)
	}
	if got := hkRead(t, user); got != "<missing>" {
		t.Errorf("user file = %q", got)
	}

	h.GlobalKnownHostsFiles = []string{hkWrite(t, "web1 "+hkKeyText(hkStranger(t)))}
	before := hkRead(t, h.GlobalKnownHostsFiles[0])
	if _, err := hkDial(t, s, New(nil), h, hkOpts{}); err != nil {
		t.Fatal(err)
	}
	if got := hkRead(t, user); got != s.KnownHostsLine(s.HostKeys.Ed25519)+"\n" {
		t.Errorf("user file = %q", got)
	}
	if got := hkRead(t, h.GlobalKnownHostsFiles[0]); got != before {
		t.Errorf("global file written: %q", got)
	}
}

func TestHostKeyAlgorithmOrder(t *testing.T) {
	entries := func(lines ...string) []*entry {
		var out []*entry
		for _, l := range lines {
			e, err := parseLine(l)
			if err != nil || e == nil {
				t.Fatalf("%q: %v", l, err)
			}
			out = append(out, e)
		}
		return out
	}
	ed := "h " + hkKeyText(hkStranger(t))
	ca := "@cert-authority h " + hkKeyText(hkStranger(t))
	ecdsaLine := "h ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBDcX5EoVUKmJyxKDFsxxb2xVwY5XXF34x1N03hjsTxEJNdBxzv6mP1mu9ZfSA9tIujH683mDrNM8bYhlSn2FjMw="
	def := []string{
		ssh.CertAlgoED25519v01, ssh.CertAlgoECDSA256v01, ssh.CertAlgoECDSA384v01, ssh.CertAlgoECDSA521v01,
		ssh.CertAlgoRSASHA512v01, ssh.CertAlgoRSASHA256v01,
		ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521,
		ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256,
	}
	for _, tc := range []struct {
		name       string
		configured []string
		known      []*entry
		want       []string
	}{
		{"unknown host", nil, nil, def},
		{"ed25519 known", nil, entries(ed), append([]string{ssh.CertAlgoED25519v01, ssh.KeyAlgoED25519},
			slices.DeleteFunc(slices.Clone(def), func(a string) bool { return strings.Contains(a, "ed25519") })...)},
		{"ecdsa known", nil, entries(ecdsaLine), []string{
			ssh.CertAlgoECDSA256v01, ssh.KeyAlgoECDSA256,
			ssh.CertAlgoED25519v01, ssh.CertAlgoECDSA384v01, ssh.CertAlgoECDSA521v01,
			ssh.CertAlgoRSASHA512v01, ssh.CertAlgoRSASHA256v01,
			ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521,
			ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256,
		}},
		{"CA and ecdsa known", nil, entries(ca, ecdsaLine), []string{
			ssh.CertAlgoED25519v01, ssh.CertAlgoECDSA256v01, ssh.CertAlgoECDSA384v01, ssh.CertAlgoECDSA521v01,
			ssh.CertAlgoRSASHA512v01, ssh.CertAlgoRSASHA256v01, ssh.KeyAlgoECDSA256,
			ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521,
			ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256,
		}},
		{"configured", []string{ssh.KeyAlgoECDSA256, "bogus", ssh.KeyAlgoRSA, ssh.KeyAlgoED25519},
			entries(ed), []string{ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoRSA}},
	} {
		got, err := orderHostKeyAlgorithms(tc.configured, tc.known)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, %v\nwant %v", tc.name, got, err, tc.want)
		}
	}
	if _, err := orderHostKeyAlgorithms([]string{ssh.KeyAlgoSKED25519}, nil); err == nil {
		t.Error("a list of algorithms x/crypto cannot verify was accepted")
	}
}

func TestHostKeyPatternMatching(t *testing.T) {
	for _, tc := range []struct {
		name, list string
		want       int
	}{
		{"web1", "web1", 1},
		{"web1", "WEB1", 1},
		{"web1", "web2,web1", 1},
		{"web1", "web?", 1},
		{"web1", "w*", 1},
		{"web1", "*1", 1},
		{"web1", "*", 1},
		{"web1", "web", 0},
		{"web1", "web1?", 0},
		{"web1", "!web1", -1},
		{"web1", "*,!web1", -1},
		{"web1", "!web2,*", 1},
		{"web1", "!web2", 0},
		{"[10.0.0.5]:2222", "10.0.0.5", 0},
		{"[10.0.0.5]:2222", "[10.0.0.5]:2222", 1},
		{"[10.0.0.5]:2222", "[10.0.0.*]:2222", 1},
		{"[10.0.0.5]:2222", "10.0.0.*", 0},
		{"[10.0.0.5]:2222", "*", 1},
		{"a.b.c", "*.c", 1},
		{"a.b.c", "*b*", 1},
		{"a.b.c", "a*c*", 1},
		{"abc", "a**c", 1},
		{"web1", strings.Repeat("x", 1100) + ",web1", 0}, // OpenSSH's subpattern limit
	} {
		if got := matchPatternList(tc.name, tc.list); got != tc.want {
			t.Errorf("matchPatternList(%q, %q) = %d, want %d", tc.name, tc.list, got, tc.want)
		}
	}
}

func TestHostKeyParseLine(t *testing.T) {
	key := hkKeyText(hkStranger(t))
	hashed := xknownhosts.HashHostname("web1")
	for _, tc := range []struct {
		line    string
		marker  lineMarker
		matches string
		bad     string // part of the error; "" for a good line
	}{
		{line: "", matches: ""},
		{line: "   # comment", matches: ""},
		{line: "web1,web2 " + key + " comment here", matches: "web2"},
		{line: "\tweb1\t" + key + "\r", matches: "web1"},
		{line: "@cert-authority *.example.com " + key, marker: markerCA, matches: "a.example.com"},
		{line: "@revoked\tx,y " + key, marker: markerRevoked, matches: "y"},
		{line: hashed + " " + key, matches: "web1"},
		{line: "web1", bad: "no key"},
		{line: "web1 # " + key, bad: "no key"},
		{line: "web1 ssh-ed25519", bad: "no key data"},
		{line: "web1 ssh-ed25519 !!!", bad: "base64"},
		{line: "web1 ssh-rsa " + strings.Fields(key)[1], bad: "does not match"},
		{line: "@bogus web1 " + key, bad: "unknown marker"},
		{line: "@revoked @cert-authority web1 " + key, bad: "more than one marker"},
		{line: "@revoked", bad: "not followed"},
		{line: "|1|c2FsdA==|aGFzaA== " + key, bad: "salt"},
		{line: "|2|" + strings.TrimPrefix(hashed, "|1|") + " " + key, bad: "hashed"},
		{line: "web1 1024 35 12345", bad: "1024"},
	} {
		e, err := parseLine(tc.line)
		switch {
		case tc.bad != "":
			if err == nil || !strings.Contains(err.Error(), tc.bad) {
				t.Errorf("%q: %v, want an error about %q", tc.line, err, tc.bad)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.line, err)
		case tc.matches == "":
			if e != nil {
				t.Errorf("%q: got an entry for a blank or comment line", tc.line)
			}
		case e == nil || e.marker != tc.marker || !e.matches(tc.matches) || e.matches("other.host"):
			t.Errorf("%q: entry %+v, want marker %d matching %q only", tc.line, e, tc.marker, tc.matches)
		}
	}
}

func TestHostKeyRecordNameValidation(t *testing.T) {
	for _, ok := range []string{"web1", "10.0.0.5", "::1", "fe80::1%eth0", "host-name_1.example"} {
		if err := validateRecordHost(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "a b", "a\tb", "a\nb", "a\x00b", "a\x7fb", "a,b", "a#b", "a*", "a?",
		"[a]", "!a", "@a", "|1|x", "a\u00a0b", "a\u202eb", string([]byte{0xff})} {
		if err := validateRecordHost(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

func TestHostKeyVerifierRefusesBadSettings(t *testing.T) {
	k := New(nil)
	h := config.Host{HostName: "web1", Port: 22, StrictHostKeyChecking: "maybe"}
	if _, _, err := k.Verifier(context.Background(), h, "web1:22"); err == nil {
		t.Error("StrictHostKeyChecking maybe was accepted")
	}
	h = config.Host{HostName: "web1", Port: 22, HostKeyAlgorithms: []string{"sk-ssh-ed25519@openssh.com"}}
	if _, _, err := k.Verifier(context.Background(), h, "web1:22"); err == nil {
		t.Error("HostKeyAlgorithms with nothing x/crypto can verify was accepted")
	}
	// HostName and Port default from the dialled address.
	tg, err := newTarget(config.Host{}, "Web1.Example:2222")
	if err != nil || tg.name != "[web1.example]:2222" || tg.bare != "web1.example" || tg.strict != strictAsk {
		t.Errorf("newTarget = %+v, %v", tg, err)
	}
}
