package auth

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"golang.org/x/crypto/ssh"
)

// loadCertificate reads a user certificate from path, or path.pub. Missing
// files are normal (quiet is set for the implicit KEY-cert.pub); anything
// else that is not a user certificate is logged and skipped.
func (ks *keySource) loadCertificate(path string, quiet bool) *ssh.Certificate {
	pub, err := readPublicKey(path)
	if err != nil {
		var err2 error
		pub, err2 = readPublicKey(path + ".pub")
		if err2 != nil {
			if !quiet || !errors.Is(err2, fs.ErrNotExist) {
				ks.log.printf("certificate %s: %v", path, err2)
			}
			return nil
		}
		path += ".pub"
	}
	cert, ok := pub.(*ssh.Certificate)
	if !ok || cert.CertType != ssh.UserCert {
		ks.log.printf("ignoring certificate %s: not a user certificate", path)
		return nil
	}
	return cert
}

// encryptedKey reports whether b is a private key that needs a passphrase.
func encryptedKey(b []byte) bool {
	_, err := ssh.ParseRawPrivateKey(b)
	var missing *ssh.PassphraseMissingError
	return errors.As(err, &missing)
}

// readPublicKey parses the first key of an authorized_keys-format file.
func readPublicKey(path string) (ssh.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pub, _, _, _, err := ssh.ParseAuthorizedKey(b)
	return pub, err
}

// loadPrivate loads the private key file path once per connection: it
// refuses a file group or others may read, and asks for the passphrase of
// an encrypted key up to three times.
func (ks *keySource) loadPrivate(path string) (ssh.Signer, error) {
	if pk, ok := ks.private[path]; ok {
		return pk.signer, pk.err
	}
	signer, err := ks.readPrivate(path)
	if ctxErr := ks.ctx.Err(); ctxErr != nil && err != nil {
		return nil, ctxErr // not cached: the connection is going away
	}
	ks.private[path] = &privateKey{signer: signer, err: err}
	return signer, err
}

func (ks *keySource) readPrivate(path string) (ssh.Signer, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			ks.log.printf("no such identity: %s", path)
			return nil, errSkipKey
		}
		ks.p.Warn(fmt.Sprintf("Load key %q: %v", path, unwrapPathError(err)))
		return nil, err
	}
	defer f.Close()
	if err := checkKeyPermissions(f, path); err != nil {
		ks.p.Warn(err.Error())
		return nil, err
	}
	b, err := io.ReadAll(f)
	if err != nil {
		ks.p.Warn(fmt.Sprintf("Load key %q: %v", path, unwrapPathError(err)))
		return nil, err
	}
	signer, err := ssh.ParsePrivateKey(b)
	var missing *ssh.PassphraseMissingError
	if err == nil {
		return signer, nil
	}
	if !errors.As(err, &missing) {
		ks.p.Warn(fmt.Sprintf("Load key %q: invalid format", path))
		return nil, err
	}
	if ks.h.BatchMode {
		ks.log.printf("key %s is encrypted and BatchMode forbids asking; skipped", path)
		return nil, errSkipKey
	}
	question := fmt.Sprintf("Enter passphrase for key '%s': ", path)
	for i := 0; i < maxPrompts; i++ {
		pass, err := ks.p.Secret(ks.ctx, question)
		if err != nil {
			ks.log.printf("no passphrase for %s: %v", path, err)
			return nil, errSkipKey
		}
		if pass == "" {
			ks.log.printf("no passphrase given for %s, try next key", path)
			return nil, errSkipKey
		}
		signer, err := ssh.ParsePrivateKeyWithPassphrase(b, []byte(pass))
		if err == nil {
			return signer, nil
		}
		if !errors.Is(err, x509.IncorrectPasswordError) {
			ks.p.Warn(fmt.Sprintf("Load key %q: %v", path, err))
			return nil, err
		}
		ks.log.printf("bad passphrase given for %s", path)
	}
	return nil, errSkipKey
}

// unwrapPathError drops the operation and path from an *fs.PathError,
// which the messages name themselves.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
