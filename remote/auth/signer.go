package auth

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"io"

	"github.com/ferry-tui/ferry/remote/knownhosts"
	"github.com/ferry-tui/ferry/text"
	"golang.org/x/crypto/ssh"
)

// idSigner offers one identity to x/crypto. Its private half is reached
// only when x/crypto signs, which it does only after the server accepted
// the public key (x/crypto's publicKeyCallback queries each key without a
// signature first).
type idSigner struct {
	ks *keySource
	id *identity
	// pub is the key offered, fixed on the first PublicKey call.
	pub ssh.PublicKey
}

var _ ssh.AlgorithmSigner = (*idSigner)(nil)

// PublicKey returns the identity's public key. Through
// Authenticator.Methods, an encrypted key whose public half is stored
// nowhere else is unlocked here, when x/crypto reaches it; if that fails
// an all-zero ed25519 key, which no one holds, stands in.
func (s *idSigner) PublicKey() ssh.PublicKey {
	s.ks.mu.Lock()
	defer s.ks.mu.Unlock()
	if s.pub != nil {
		return s.pub
	}
	if s.id.pub != nil {
		s.pub = s.id.pub
		s.ks.log.printf("offering public key: %s", s.id.describe())
		return s.pub
	}
	s.ks.log.printf("trying private key: %s", text.Sanitize(s.id.name))
	if signer, err := s.ks.loadPrivate(s.id.keyFile); err == nil {
		s.id.pub = signer.PublicKey()
		s.pub = s.id.pub
		return s.pub
	}
	// The zero key is a valid ed25519 encoding that no one holds.
	s.pub, _ = ssh.NewPublicKey(ed25519.PublicKey(make([]byte, ed25519.PublicKeySize)))
	return s.pub
}

// Sign signs data with the key's own algorithm.
func (s *idSigner) Sign(rand io.Reader, data []byte) (*ssh.Signature, error) {
	return s.SignWithAlgorithm(rand, data, "")
}

// SignWithAlgorithm signs data, loading the private key first if needed.
// x/crypto calls it only after the server accepted the public key. When
// the key cannot sign it returns an error and sends nothing: the
// Authenticator then goes on with the next key, as ssh does.
func (s *idSigner) SignWithAlgorithm(rand io.Reader, data []byte, algorithm string) (*ssh.Signature, error) {
	pub := s.PublicKey()
	s.ks.mu.Lock()
	defer s.ks.mu.Unlock()
	if err := s.ks.ctx.Err(); err != nil {
		return nil, err
	}
	if s.ks.closed {
		return nil, errClosed
	}
	s.ks.log.printf("server accepts key: %s", s.id.describe())
	by := s.id
	if s.id.signBy != nil {
		by = s.id.signBy
	}
	var (
		sig *ssh.Signature
		err error
	)
	if by.agent != nil {
		sig, err = by.agent.sign(by.pub, data, algorithm)
		if err != nil {
			s.ks.p.Warn(fmt.Sprintf("signing failed for %s %q from agent: %v", knownhosts.KeyTypeName(pub.Type()), by.name, err))
		}
	} else {
		var signer ssh.Signer
		signer, err = s.ks.loadPrivate(by.keyFile)
		if err == nil {
			want := plainKey(by.pub)
			if want == nil {
				want = plainKey(pub)
			}
			if !bytes.Equal(signer.PublicKey().Marshal(), want.Marshal()) {
				err = fmt.Errorf("private key %s contents do not match public", by.keyFile)
				s.ks.p.Warn(err.Error())
			}
		}
		if err == nil {
			sig, err = signWithAlgorithm(signer, rand, data, algorithm)
			if err != nil {
				s.ks.p.Warn(fmt.Sprintf("signing failed for %s %q: %v", knownhosts.KeyTypeName(pub.Type()), by.keyFile, err))
			}
		}
	}
	if err != nil {
		if ctxErr := s.ks.ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		s.ks.log.printf("skipping key %s: %v", s.id.describe(), err)
		return nil, fmt.Errorf("key %s not used: %w", text.Sanitize(s.id.name), err)
	}
	return sig, nil
}

// plainKey returns the key a certificate certifies, or k itself.
func plainKey(k ssh.PublicKey) ssh.PublicKey {
	if cert, ok := k.(*ssh.Certificate); ok {
		return cert.Key
	}
	return k
}

// signWithAlgorithm signs with algorithm when the signer supports choosing
// one; "" means the key's own.
func signWithAlgorithm(s ssh.Signer, rand io.Reader, data []byte, algorithm string) (*ssh.Signature, error) {
	if as, ok := s.(ssh.AlgorithmSigner); ok {
		return as.SignWithAlgorithm(rand, data, algorithm)
	}
	if algorithm != "" && algorithm != s.PublicKey().Type() {
		return nil, fmt.Errorf("key cannot sign with %s", algorithm)
	}
	return s.Sign(rand, data)
}
