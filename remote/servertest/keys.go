package servertest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh"
)

// writeEd25519 generates an ed25519 key, writes it to path in OpenSSH
// format with mode 0600, and returns it as a signer.
func writeEd25519(path, comment string) (ssh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return nil, fmt.Errorf("marshal ed25519 key: %w", err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, err
	}
	return ssh.NewSignerFromKey(priv)
}

// writeClientKey writes the client key to s.ClientKeyPath (in s.base) and
// its public key beside it, and sets ClientSigner.
func (s *Server) writeClientKey() error {
	s.ClientKeyPath = filepath.Join(s.base, "id_ed25519")
	signer, err := writeEd25519(s.ClientKeyPath, "servertest-client")
	if err != nil {
		return fmt.Errorf("client key: %w", err)
	}
	s.ClientSigner = signer
	return os.WriteFile(s.ClientKeyPath+".pub", ssh.MarshalAuthorizedKey(signer.PublicKey()), 0o644)
}

// rfc4716 returns key in the format of RFC 4716 ("---- BEGIN SSH2 PUBLIC
// KEY ----"), the one ProFTPD's SFTPAuthorizedUserKeys files want, with
// the base64 lines wrapped at 70 characters as ssh-keygen -e does.
func rfc4716(key ssh.PublicKey, comment string) string {
	enc := base64.StdEncoding.EncodeToString(key.Marshal())
	var b strings.Builder
	b.WriteString("---- BEGIN SSH2 PUBLIC KEY ----\n")
	fmt.Fprintf(&b, "Comment: %q\n", comment)
	for len(enc) > 70 {
		b.WriteString(enc[:70] + "\n")
		enc = enc[70:]
	}
	b.WriteString(enc + "\n")
	b.WriteString("---- END SSH2 PUBLIC KEY ----\n")
	return b.String()
}
