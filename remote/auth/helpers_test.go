package auth_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote/auth"
	"github.com/ferry-tui/ferry/remote/prompt"
	"golang.org/x/crypto/ssh"
)

// authPrompter is a scripted Prompter that records what it is asked.
// Running out of scripted answers, or any question when strict is set,
// fails the test.
type authPrompter struct {
	t      *testing.T
	strict bool // no question may be asked at all

	mu       sync.Mutex
	secrets  []string   // answers to Secret, in order
	kbd      [][]string // answers to keyboard-interactive rounds, in order
	asked    []string   // prompts given to Secret
	rounds   []authRound
	warnings []string
}

// authRound is one keyboard-interactive round as the Prompter saw it.
type authRound struct {
	name, instruction string
	questions         []prompt.Challenge
}

func (p *authPrompter) Secret(_ context.Context, question string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, question)
	if p.strict {
		p.t.Errorf("unexpected question: Secret(%q)", question)
		return "", prompt.ErrNoPrompt
	}
	if len(p.secrets) == 0 {
		p.t.Errorf("no scripted answer for Secret(%q)", question)
		return "", prompt.ErrNoPrompt
	}
	a := p.secrets[0]
	p.secrets = p.secrets[1:]
	return a, nil
}

func (p *authPrompter) KeyboardInteractive(_ context.Context, name, instruction string, qs []prompt.Challenge) ([]string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rounds = append(p.rounds, authRound{name, instruction, slices.Clone(qs)})
	if p.strict {
		p.t.Errorf("unexpected question: KeyboardInteractive(%q, %q, %v)", name, instruction, qs)
		return nil, prompt.ErrNoPrompt
	}
	if len(p.kbd) == 0 {
		p.t.Errorf("no scripted answer for KeyboardInteractive(%q, %q, %v)", name, instruction, qs)
		return nil, prompt.ErrNoPrompt
	}
	a := p.kbd[0]
	p.kbd = p.kbd[1:]
	return a, nil
}

func (p *authPrompter) ConfirmHostKey(_ context.Context, q prompt.HostKeyQuestion) (bool, error) {
	p.t.Errorf("unexpected question: ConfirmHostKey(%+v)", q)
	return false, prompt.ErrNoPrompt
}

func (p *authPrompter) Warn(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.warnings = append(p.warnings, msg)
}

func (p *authPrompter) secretPrompts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.asked)
}

func (p *authPrompter) warned() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.warnings, "\n")
}

// syncBuffer is a bytes.Buffer safe for concurrent writes (the debug log).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// authKey writes a new ed25519 key to dir/name (mode 0600, encrypted with
// passphrase unless it is empty) and its public key to dir/name.pub.
func authKey(t *testing.T, dir, name, passphrase string) (string, ssh.Signer) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	// x/crypto encrypts with 16 rounds of bcrypt, seconds each under the
	// race detector: ssh-keygen, where it is, encrypts with one (-a 1),
	// so that a test trying wrong passphrases stays quick.
	keygen, lookErr := exec.LookPath("ssh-keygen")
	var block *pem.Block
	if passphrase == "" || lookErr == nil {
		block, err = ssh.MarshalPrivateKey(priv, name)
	} else {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(priv, name, []byte(passphrase))
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	if passphrase != "" && lookErr == nil {
		if out, err := exec.Command(keygen, "-q", "-p", "-a", "1", "-P", "", "-N", passphrase, "-f", path).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen -p: %v\n%s", err, out)
		}
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".pub", ssh.MarshalAuthorizedKey(signer.PublicKey()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, signer
}

// authWriteKeys writes keys to path as an authorized_keys file.
func authWriteKeys(t *testing.T, path string, keys ...ssh.PublicKey) {
	t.Helper()
	var b []byte
	for _, k := range keys {
		b = append(b, ssh.MarshalAuthorizedKey(k)...)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// authCert signs a user certificate for key, valid for principal, with ca.
func authCert(t *testing.T, ca ssh.Signer, key ssh.PublicKey, principal string) *ssh.Certificate {
	t.Helper()
	cert := &ssh.Certificate{
		Key:             key,
		CertType:        ssh.UserCert,
		KeyId:           "ferry-test",
		ValidPrincipals: []string{principal},
		ValidBefore:     ssh.CertTimeInfinity,
		Permissions:     ssh.Permissions{Extensions: map[string]string{"permit-pty": ""}},
	}
	if err := cert.SignCert(rand.Reader, ca); err != nil {
		t.Fatal(err)
	}
	return cert
}

// authSigner returns a new ed25519 signer.
func authSigner(t *testing.T) ssh.Signer {
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

// authConnect authenticates to addr as h says, with auth.New and Apply,
// and returns the handshake's error.
func authConnect(t *testing.T, addr string, hostKeys ssh.HostKeyCallback, h config.Host, env auth.Env, p prompt.Prompter) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a := auth.New(ctx, h, env, p)
	defer a.Close()
	cfg := &ssh.ClientConfig{User: h.User, HostKeyCallback: hostKeys, Timeout: 30 * time.Second}
	a.Apply(cfg)
	return authDial(addr, cfg)
}

// authConnectMethods is authConnect through auth.Methods, for callers that
// set only ClientConfig.Auth.
func authConnectMethods(t *testing.T, addr string, hostKeys ssh.HostKeyCallback, h config.Host, env auth.Env, p prompt.Prompter) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	methods, closeFn, err := auth.Methods(ctx, h, env, p)
	if err != nil {
		t.Fatalf("auth.Methods: %v", err)
	}
	defer closeFn()
	return authDial(addr, &ssh.ClientConfig{User: h.User, Auth: methods, HostKeyCallback: hostKeys, Timeout: 30 * time.Second})
}

func authDial(addr string, cfg *ssh.ClientConfig) error {
	c, err := ssh.Dial("tcp", addr, cfg)
	if err == nil {
		c.Close()
	}
	return err
}

// authServer is an in-process x/crypto SSH server on 127.0.0.1 that
// records the authentication attempts made to it.
type authServer struct {
	addr    string
	hostKey ssh.PublicKey

	mu      sync.Mutex
	methods []string        // methods tried, in order, "none" left out
	offered []ssh.PublicKey // public keys offered, in order
}

// authStartServer serves cfg (host key added here) until the test ends.
// Unless cfg has a PublicKeyCallback, every public key is refused.
func authStartServer(t *testing.T, cfg *ssh.ServerConfig) *authServer {
	t.Helper()
	srv := &authServer{}
	if cfg.MaxAuthTries == 0 {
		cfg.MaxAuthTries = -1 // unlimited: the tests count attempts themselves
	}
	hk := authSigner(t)
	srv.hostKey = hk.PublicKey()
	cfg.AddHostKey(hk)
	cfg.AuthLogCallback = func(_ ssh.ConnMetadata, method string, _ error) {
		if method == "none" {
			return
		}
		srv.mu.Lock()
		defer srv.mu.Unlock()
		srv.methods = append(srv.methods, method)
	}
	pkcb := cfg.PublicKeyCallback
	cfg.PublicKeyCallback = func(c ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
		srv.mu.Lock()
		srv.offered = append(srv.offered, key)
		srv.mu.Unlock()
		if pkcb != nil {
			return pkcb(c, key)
		}
		return nil, errors.New("refused")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.addr = l.Addr().String()
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	t.Cleanup(func() { l.Close() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(time.Minute))
				sc, chans, reqs, err := ssh.NewServerConn(c, cfg)
				if err != nil {
					return
				}
				go ssh.DiscardRequests(reqs)
				go func() {
					for ch := range chans {
						_ = ch.Reject(ssh.Prohibited, "auth test server")
					}
				}()
				_ = sc.Wait()
			}()
		}
	}()
	return srv
}

func (s *authServer) tried() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.methods)
}

// offeredFPs returns the fingerprints of the keys offered, in order.
func (s *authServer) offeredFPs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, k := range s.offered {
		out = append(out, authFP(k))
	}
	return out
}

// authFP names a key in test messages: its type and fingerprint.
func authFP(k ssh.PublicKey) string {
	if c, ok := k.(*ssh.Certificate); ok {
		return "CERT " + ssh.FingerprintSHA256(c.Key)
	}
	return ssh.FingerprintSHA256(k)
}

// authHost is a host for srv's user and address with no keys, no agent
// and every method allowed.
func authHost(user, addr string) config.Host {
	host, port, _ := net.SplitHostPort(addr)
	var p int
	fmt.Sscan(port, &p)
	return config.Host{
		Alias:                        host,
		HostName:                     host,
		Port:                         p,
		User:                         user,
		IdentityAgent:                "none",
		PasswordAuthentication:       true,
		KbdInteractiveAuthentication: true,
	}
}
