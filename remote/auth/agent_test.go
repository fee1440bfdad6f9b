package auth_test

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// authTestAgent is an ssh-agent holding fixed keys, in order, that records
// which keys it signed with. It serves the agent protocol on a unix socket.
type authTestAgent struct {
	mu      sync.Mutex
	signers []ssh.Signer
	signed  []string // fingerprints, in order
}

var _ agent.ExtendedAgent = (*authTestAgent)(nil)

// authStartAgent serves an agent holding signers on a unix socket in a
// temporary directory until the test ends, and returns the socket.
func authStartAgent(t *testing.T, signers ...ssh.Signer) (string, *authTestAgent) {
	t.Helper()
	a := &authTestAgent{signers: signers}
	sock := filepath.Join(t.TempDir(), "agent.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(wg.Wait)
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				_ = agent.ServeAgent(a, c)
			}()
		}
	}()
	return sock, a
}

// signedWith returns the fingerprints of the keys the agent signed with.
func (a *authTestAgent) signedWith() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.signed)
}

func (a *authTestAgent) List() ([]*agent.Key, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []*agent.Key
	for i, s := range a.signers {
		pub := s.PublicKey()
		out = append(out, &agent.Key{Format: pub.Type(), Blob: pub.Marshal(), Comment: fmt.Sprintf("agent-key-%d", i)})
	}
	return out, nil
}

func (a *authTestAgent) Sign(key ssh.PublicKey, data []byte) (*ssh.Signature, error) {
	return a.SignWithFlags(key, data, 0)
}

func (a *authTestAgent) SignWithFlags(key ssh.PublicKey, data []byte, flags agent.SignatureFlags) (*ssh.Signature, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range a.signers {
		if string(s.PublicKey().Marshal()) != string(key.Marshal()) {
			continue
		}
		a.signed = append(a.signed, ssh.FingerprintSHA256(key))
		if flags != 0 {
			return nil, errors.New("test agent: signature flags not supported")
		}
		return s.Sign(rand.Reader, data)
	}
	return nil, errors.New("test agent: no such key")
}

func (a *authTestAgent) Signers() ([]ssh.Signer, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.signers), nil
}

func (a *authTestAgent) Add(agent.AddedKey) error   { return errors.New("test agent: read-only") }
func (a *authTestAgent) Remove(ssh.PublicKey) error { return errors.New("test agent: read-only") }
func (a *authTestAgent) RemoveAll() error           { return errors.New("test agent: read-only") }
func (a *authTestAgent) Lock([]byte) error          { return errors.New("test agent: cannot lock") }
func (a *authTestAgent) Unlock([]byte) error        { return errors.New("test agent: cannot lock") }

func (a *authTestAgent) Extension(string, []byte) ([]byte, error) {
	return nil, agent.ErrExtensionUnsupported
}
