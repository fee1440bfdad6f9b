package sshdtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"

	"golang.org/x/crypto/ssh"
)

// HostKeys holds the public host keys the server offers, by type. A type
// the server was told not to offer (see WithHostKeyTypes) is nil.
type HostKeys struct {
	// Ed25519 is the ssh-ed25519 host key.
	Ed25519 ssh.PublicKey
	// ECDSA is the ecdsa-sha2-nistp256 host key.
	ECDSA ssh.PublicKey
}

// All returns the keys that are not nil, Ed25519 first.
func (k HostKeys) All() []ssh.PublicKey {
	var out []ssh.PublicKey
	for _, pk := range []ssh.PublicKey{k.Ed25519, k.ECDSA} {
		if pk != nil {
			out = append(out, pk)
		}
	}
	return out
}

// newKey generates a private key of the given SSH key type.
func newKey(keyType string) (crypto.Signer, error) {
	switch keyType {
	case ssh.KeyAlgoED25519:
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		return priv, err
	case ssh.KeyAlgoECDSA256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	default:
		return nil, fmt.Errorf("unsupported key type %q (want %s or %s)",
			keyType, ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256)
	}
}

// writeKey generates a key of keyType, writes it to path in OpenSSH format
// with mode 0600, and returns it as a signer.
func writeKey(path, keyType, comment string) (ssh.Signer, error) {
	priv, err := newKey(keyType)
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return nil, fmt.Errorf("marshal %s key: %w", keyType, err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, err
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, fmt.Errorf("signer for %s key: %w", keyType, err)
	}
	return signer, nil
}
