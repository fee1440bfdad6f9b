package knownhosts

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"

	"golang.org/x/crypto/ssh"
)

// verifier checks the host keys of one connection.
type verifier struct {
	k   *Checker
	ctx context.Context
	t   *target
	db  *store

	mu       sync.Mutex
	accepted ssh.PublicKey // the key accepted at the first key exchange
}

// callback is the ssh.HostKeyCallback. x/crypto calls it at every key
// exchange; a key accepted once is accepted again without a second look,
// as OpenSSH does with its cached host key.
func (v *verifier) callback(_ string, _ net.Addr, key ssh.PublicKey) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.accepted != nil && keysEqual(v.accepted, key) {
		return nil
	}
	if err := v.verify(key); err != nil {
		return err
	}
	v.accepted = key
	return nil
}

// keyStatus is the outcome of looking a key up (OpenSSH's HostStatus).
type keyStatus int

const (
	keyNew keyStatus = iota
	keyOK
	keyChanged
	keyRevoked
)

// verify decides on key as described at Verifier.
func (v *verifier) verify(key ssh.PublicKey) error {
	plain := key
	if cert, ok := key.(*ssh.Certificate); ok {
		plain = cert.Key
		accepted, err := v.checkCert(cert)
		if accepted || err != nil {
			return err
		}
	}
	st, err := v.t.judge(v.db, plain)
	if st != keyNew {
		return err
	}
	return v.k.decide(v.ctx, v.t, plain)
}

// checkCert looks for a @cert-authority line that vouches for cert under
// the host's name or, when nothing is known under it, its bare name. It
// returns true if cert is valid and signed by such a CA, and an error if
// cert, its key or its CA is @revoked for the host. A certificate that is
// not accepted is judged by its plain key afterwards, as OpenSSH does.
func (v *verifier) checkCert(cert *ssh.Certificate) (bool, error) {
	names := []string{v.t.name}
	if v.t.bare != "" {
		names = append(names, v.t.bare)
	}
	for _, name := range names {
		es := v.db.matching(name)
		if r := revokedEntry(es, cert.Key, cert.SignatureKey); r != nil {
			return false, v.t.revokedError(name, cert, r)
		}
		var ca *entry
		for _, e := range es {
			if e.marker == markerCA && keysEqual(e.key, cert.SignatureKey) {
				ca = e
				break
			}
		}
		if ca == nil {
			continue
		}
		if err := checkHostCert(cert, v.t.principal); err != nil {
			v.k.p.Warn(fmt.Sprintf("Host certificate %s signed by the CA in %s:%d not accepted: %v",
				ssh.FingerprintSHA256(cert.Key), ca.file, ca.line, err))
			return false, nil
		}
		return true, nil
	}
	return false, nil
}

// checkHostCert checks a host certificate the way OpenSSH's
// sshkey_cert_check_host does with its default CASignatureAlgorithms: a
// host certificate, valid now, listing principal (or no principals at
// all), without critical options, with a good signature that is not
// ssh-rsa (SHA-1) or ssh-dss.
func checkHostCert(cert *ssh.Certificate, principal string) error {
	if cert.CertType != ssh.HostCert {
		return fmt.Errorf("certificate is not a host certificate (type %d)", cert.CertType)
	}
	if len(cert.CriticalOptions) > 0 {
		return errors.New("certificate contains critical options")
	}
	if cert.Signature == nil {
		return errors.New("certificate has no signature")
	}
	switch cert.Signature.Format {
	case ssh.KeyAlgoRSA, "ssh-dss": // OpenSSH refuses certificates signed with SHA-1 RSA or DSA
		return fmt.Errorf("certificate signed with disallowed algorithm %s", cert.Signature.Format)
	}
	var checker ssh.CertChecker
	return checker.CheckCert(principal, cert)
}

// revokedEntry returns the first @revoked entry of es that lists one of
// keys, or nil.
func revokedEntry(es []*entry, keys ...ssh.PublicKey) *entry {
	for _, e := range es {
		if e.marker != markerRevoked {
			continue
		}
		for _, k := range keys {
			if keysEqual(e.key, k) {
				return e
			}
		}
	}
	return nil
}

// judge looks up the plain key under t's name, as OpenSSH's
// check_key_in_hostkeys does, and when nothing is known under it, under
// the bare host name. It returns keyOK, keyNew, or keyChanged or keyRevoked
// with the error to refuse the key with. Under the bare name only a match
// or a revocation counts: other keys listed there do not make the key a
// changed one (OpenSSH checks that name "read-only, quietly").
func (t *target) judge(db *store, key ssh.PublicKey) (keyStatus, error) {
	st, found := lookup(db.matching(t.name), key)
	if st == keyNew && t.bare != "" {
		if st2, found2 := lookup(db.matching(t.bare), key); st2 == keyOK || st2 == keyRevoked {
			if st2 == keyRevoked {
				return st2, t.revokedError(t.bare, key, found2)
			}
			return st2, nil
		}
	}
	switch st {
	case keyRevoked:
		return st, t.revokedError(t.name, key, found)
	case keyChanged:
		addTo := ""
		if len(t.userFiles) > 0 {
			addTo = t.userFiles[0]
		} else if len(t.globalFiles) > 0 {
			addTo = t.globalFiles[0]
		}
		return st, &ChangedKeyError{
			Host:         t.name,
			KeyType:      key.Type(),
			Fingerprint:  ssh.FingerprintSHA256(key),
			File:         found.file,
			Line:         found.line,
			KnownKeyType: found.key.Type(),
			AddTo:        addTo,
			Strict:       t.strict,
		}
	}
	return st, nil
}

// lookup is OpenSSH's check_hostkeys_by_key_or_type for a plain key
// among the entries matching a name: keyOK and the entry if one lists key;
// keyChanged and the last entry if others are listed (of any type, as in
// OpenSSH); keyRevoked and the entry if a @revoked one lists key; else
// keyNew.
func lookup(es []*entry, key ssh.PublicKey) (keyStatus, *entry) {
	st, found := keyNew, (*entry)(nil)
	for _, e := range es {
		if e.marker != markerNone {
			continue
		}
		if keysEqual(e.key, key) {
			st, found = keyOK, e
			break
		}
		st, found = keyChanged, e
	}
	if r := revokedEntry(es, key); r != nil {
		return keyRevoked, r
	}
	return st, found
}

// revokedError builds the error for a key revoked by entry r under name.
func (t *target) revokedError(name string, key ssh.PublicKey, r *entry) error {
	plain := key
	if cert, ok := key.(*ssh.Certificate); ok {
		plain = cert.Key
	}
	return &RevokedKeyError{
		Host:        name,
		KeyType:     key.Type(),
		Fingerprint: ssh.FingerprintSHA256(plain),
		File:        r.file,
		Line:        r.line,
		Strict:      t.strict,
	}
}
