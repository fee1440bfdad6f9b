package remote

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"

	"golang.org/x/crypto/ssh"
)

// khVerifier checks the host keys of one connection.
type khVerifier struct {
	k   *KnownHosts
	ctx context.Context
	t   *khTarget
	db  *khDB

	mu       sync.Mutex
	accepted ssh.PublicKey // the key accepted at the first key exchange
}

// callback is the ssh.HostKeyCallback. x/crypto calls it at every key
// exchange; a key accepted once is accepted again without a second look,
// as OpenSSH does with its cached host key.
func (v *khVerifier) callback(_ string, _ net.Addr, key ssh.PublicKey) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.accepted != nil && khKeysEqual(v.accepted, key) {
		return nil
	}
	if err := v.verify(key); err != nil {
		return err
	}
	v.accepted = key
	return nil
}

// khStatus is the outcome of looking a key up (OpenSSH's HostStatus).
type khStatus int

const (
	khNew khStatus = iota
	khOK
	khChanged
	khRevokedKey
)

// verify decides on key as described at Verifier.
func (v *khVerifier) verify(key ssh.PublicKey) error {
	plain := key
	if cert, ok := key.(*ssh.Certificate); ok {
		plain = cert.Key
		accepted, err := v.checkCert(cert)
		if accepted || err != nil {
			return err
		}
	}
	st, err := v.t.judge(v.db, plain)
	if st != khNew {
		return err
	}
	return v.k.decide(v.ctx, v.t, plain)
}

// checkCert looks for a @cert-authority line that vouches for cert under
// the host's name or, when nothing is known under it, its bare name. It
// returns true if cert is valid and signed by such a CA, and an error if
// cert, its key or its CA is @revoked for the host. A certificate that is
// not accepted is judged by its plain key afterwards, as OpenSSH does.
func (v *khVerifier) checkCert(cert *ssh.Certificate) (bool, error) {
	names := []string{v.t.name}
	if v.t.bare != "" {
		names = append(names, v.t.bare)
	}
	for _, name := range names {
		es := v.db.matching(name)
		if r := revokedEntry(es, cert.Key, cert.SignatureKey); r != nil {
			return false, v.t.revokedError(name, cert, r)
		}
		var ca *khEntry
		for _, e := range es {
			if e.marker == khCA && khKeysEqual(e.key, cert.SignatureKey) {
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
func revokedEntry(es []*khEntry, keys ...ssh.PublicKey) *khEntry {
	for _, e := range es {
		if e.marker != khRevoked {
			continue
		}
		for _, k := range keys {
			if khKeysEqual(e.key, k) {
				return e
			}
		}
	}
	return nil
}

// judge looks up the plain key under t's name, as OpenSSH's
// check_key_in_hostkeys does, and when nothing is known under it, under
// the bare host name. It returns khOK, khNew, or khChanged or khRevokedKey
// with the error to refuse the key with. Under the bare name only a match
// or a revocation counts: other keys listed there do not make the key a
// changed one (OpenSSH checks that name "read-only, quietly").
func (t *khTarget) judge(db *khDB, key ssh.PublicKey) (khStatus, error) {
	st, found := khLookup(db.matching(t.name), key)
	if st == khNew && t.bare != "" {
		if st2, found2 := khLookup(db.matching(t.bare), key); st2 == khOK || st2 == khRevokedKey {
			if st2 == khRevokedKey {
				return st2, t.revokedError(t.bare, key, found2)
			}
			return st2, nil
		}
	}
	switch st {
	case khRevokedKey:
		return st, t.revokedError(t.name, key, found)
	case khChanged:
		addTo := ""
		if len(t.userFiles) > 0 {
			addTo = t.userFiles[0]
		} else if len(t.globalFiles) > 0 {
			addTo = t.globalFiles[0]
		}
		return st, &HostKeyChangedError{
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

// khLookup is OpenSSH's check_hostkeys_by_key_or_type for a plain key
// among the entries matching a name: khOK and the entry if one lists key;
// khChanged and the last entry if others are listed (of any type, as in
// OpenSSH); khRevokedKey and the entry if a @revoked one lists key; else
// khNew.
func khLookup(es []*khEntry, key ssh.PublicKey) (khStatus, *khEntry) {
	st, found := khNew, (*khEntry)(nil)
	for _, e := range es {
		if e.marker != khPlain {
			continue
		}
		if khKeysEqual(e.key, key) {
			st, found = khOK, e
			break
		}
		st, found = khChanged, e
	}
	if r := revokedEntry(es, key); r != nil {
		return khRevokedKey, r
	}
	return st, found
}

// revokedError builds the error for a key revoked by entry r under name.
func (t *khTarget) revokedError(name string, key ssh.PublicKey, r *khEntry) error {
	plain := key
	if cert, ok := key.(*ssh.Certificate); ok {
		plain = cert.Key
	}
	return &HostKeyRevokedError{
		Host:        name,
		KeyType:     key.Type(),
		Fingerprint: ssh.FingerprintSHA256(plain),
		File:        r.file,
		Line:        r.line,
		Strict:      t.strict,
	}
}
