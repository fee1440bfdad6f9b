package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote/knownhosts"
	"github.com/ferry-tui/ferry/remote/prompt"
	"github.com/ferry-tui/ferry/text"
	"golang.org/x/crypto/ssh"
)

// identity is one key the publickey method may offer.
type identity struct {
	// name is the file the key came from, or the agent's comment.
	name string
	// pub is the key offered; nil while unknown (an encrypted private key
	// in a format without a public part, and no PATH.pub).
	pub ssh.PublicKey
	// keyFile is the private key file that signs for pub, or "".
	keyFile string
	// agent signs for pub when set.
	agent *agentKey
	// signBy is, for a certificate, the identity whose private key signs.
	signBy *identity
	// encrypted is set, under BatchMode only, when keyFile held a private
	// key that needs a passphrase as the identities were listed.
	encrypted bool
}

// isCert reports whether the identity is a certificate.
func (id *identity) isCert() bool {
	_, ok := id.pub.(*ssh.Certificate)
	return ok
}

// describe is the identity as ssh -v shows it: name, key type and
// fingerprint, and "agent" when the agent holds the key.
func (id *identity) describe() string {
	s := text.Sanitize(id.name)
	if id.pub != nil {
		s += " " + knownhosts.KeyTypeName(id.pub.Type()) + " " + ssh.FingerprintSHA256(id.pub)
	}
	if id.agent != nil {
		s += " agent"
	}
	return s
}

// keySource builds the publickey identities once per Methods call and
// loads private keys on demand.
type keySource struct {
	ctx context.Context
	h   config.Host
	env Env
	p   prompt.Prompter
	log debugLog

	mu       sync.Mutex
	prepared bool
	ids      []*identity
	agent    *agentConn
	closed   bool
	// private caches each key file's load, so a passphrase is asked at
	// most once per file and connection, and a refused file warned about
	// once.
	private map[string]*privateKey
}

// privateKey is the outcome of loading one private key file.
type privateKey struct {
	signer ssh.Signer
	err    error
}

func newKeySource(ctx context.Context, h config.Host, env Env, p prompt.Prompter, log debugLog) *keySource {
	return &keySource{ctx: ctx, h: h, env: env, p: p, log: log, private: make(map[string]*privateKey)}
}

// close releases the agent connection and the decrypted keys.
func (ks *keySource) close() {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	ks.closed = true
	if ks.agent != nil {
		ks.agent.close()
		ks.agent = nil
	}
	clear(ks.private)
	ks.ids = nil
}

// signers is the ssh.PublicKeysCallback of Authenticator.Methods: every
// identity at once.
func (ks *keySource) signers() ([]ssh.Signer, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if ks.closed {
		return nil, errClosed
	}
	ks.prepareOnce()
	out := make([]ssh.Signer, 0, len(ks.ids))
	for _, id := range ks.ids {
		out = append(out, &idSigner{ks: ks, id: id})
	}
	return out, nil
}

// identity returns the i-th identity to offer, or nil past the last.
func (ks *keySource) identity(i int) *identity {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if ks.closed {
		return nil
	}
	ks.prepareOnce()
	if i >= len(ks.ids) {
		return nil
	}
	return ks.ids[i]
}

// offer returns the signer that offers id, or nil to skip it: an identity
// whose public key is kept only inside its encrypted private key is
// unlocked now, when its turn comes (ssh's "Trying private key"), and
// skipped if that fails.
func (ks *keySource) offer(id *identity) ssh.Signer {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if id.pub == nil {
		ks.log.printf("trying private key: %s", text.Sanitize(id.name))
		signer, err := ks.loadPrivate(id.keyFile)
		if err != nil {
			return nil
		}
		id.pub = signer.PublicKey()
	}
	return &idSigner{ks: ks, id: id}
}

// errClosed is returned when a method runs after Authenticator.Close.
var errClosed = errors.New("authentication already finished")

// prepareOnce lists the identities on first use, as ssh prepares them
// when publickey is first tried.
func (ks *keySource) prepareOnce() {
	if !ks.prepared {
		ks.ids = ks.prepare()
		ks.prepared = true
	}
}

// prepare lists the identities in OpenSSH's order (see Authenticator).
func (ks *keySource) prepare() []*identity {
	var files, preferred []*identity
	seen := make(map[string]bool)
	for _, path := range ks.h.IdentityFiles {
		if path == "" || seen[path] {
			continue
		}
		seen[path] = true
		id, ok := ks.identityFile(path)
		if !ok {
			continue
		}
		files = append(files, id)
		if len(ks.h.CertificateFiles) > 0 {
			continue // explicit certificates replace KEY-cert.pub
		}
		if cert := ks.loadCertificate(path+"-cert", true); cert != nil {
			files = append(files, &identity{name: path, pub: cert, keyFile: path, encrypted: id.encrypted})
		}
	}
	for _, path := range ks.h.CertificateFiles {
		if cert := ks.loadCertificate(path, false); cert != nil {
			preferred = append(preferred, &identity{name: path, pub: cert})
		}
	}

	var others []*identity
	for _, k := range ks.agentKeys() {
		matched := false
		for i, id := range files {
			if id.pub != nil && bytes.Equal(id.pub.Marshal(), k.pub.Marshal()) {
				id.agent = k
				preferred = append(preferred, id)
				files = append(files[:i], files[i+1:]...)
				matched = true
				break
			}
		}
		if !matched && !ks.h.IdentitiesOnly {
			others = append(others, &identity{name: k.comment, pub: k.pub, agent: k})
		}
	}
	preferred = append(preferred, others...)
	preferred = append(preferred, files...)

	var out []*identity
	for _, id := range preferred {
		if id.pub != nil && id.isCert() && !ks.findCertSigner(id, preferred) {
			ks.log.printf("no private key for certificate %s; skipped", id.describe())
			continue
		}
		src := id
		if id.signBy != nil {
			src = id.signBy
		}
		if ks.h.BatchMode && src.agent == nil && src.keyFile != "" && src.encrypted {
			// ssh would offer it and then fail to unlock it without
			// asking; leaving it out saves the server a failed attempt.
			ks.log.printf("key %s is encrypted and BatchMode forbids asking; not offered", id.describe())
			continue
		}
		out = append(out, id)
	}
	for _, id := range out {
		ks.log.printf("will attempt key: %s", id.describe())
	}
	return out
}

// findCertSigner sets cert.signBy as OpenSSH's sign_and_send_pubkey
// chooses: the first identity with the same public key that is not a
// certificate (so an agent key wins over a file), else an identity whose
// public key is unknown and whose file name matches, else the certificate
// itself when the agent holds it or it came as KEY-cert.pub next to KEY.
func (ks *keySource) findCertSigner(cert *identity, ids []*identity) bool {
	key := cert.pub.(*ssh.Certificate).Key.Marshal()
	for _, id := range ids {
		if id.pub != nil && !id.isCert() && bytes.Equal(id.pub.Marshal(), key) {
			cert.signBy = id
			return true
		}
	}
	if cert.agent == nil {
		for _, id := range ids {
			if id.pub == nil && id.keyFile != "" &&
				(cert.name == id.name || cert.name == id.name+".pub" || cert.name == id.name+"-cert.pub") {
				cert.signBy = id
				return true
			}
		}
	}
	if cert.agent != nil || cert.keyFile != "" {
		cert.signBy = cert
		return true
	}
	return false
}

// identityFile makes the identity for one IdentityFile. Its public key
// comes, as in OpenSSH's sshkey_load_public, from PATH when that is a
// public key, else from PATH.pub, else from the private key file's
// unencrypted public part; a missing file is noted in the debug log only.
// PATH is read once.
func (ks *keySource) identityFile(path string) (*identity, bool) {
	id := &identity{name: path, keyFile: path}
	b, err := os.ReadFile(path)
	if err == nil {
		if pub, _, _, _, perr := ssh.ParseAuthorizedKey(b); perr == nil {
			if cert, ok := pub.(*ssh.Certificate); ok && cert.CertType != ssh.UserCert {
				ks.log.printf("ignoring certificate %s: not a user certificate", path)
				return nil, false
			}
			id.pub = pub
			id.encrypted = ks.h.BatchMode && encryptedKey(b)
			return id, true
		}
	}
	if pub, perr := readPublicKey(path + ".pub"); perr == nil {
		id.pub = pub
		id.encrypted = ks.h.BatchMode && err == nil && encryptedKey(b)
		return id, true
	}
	if errors.Is(err, fs.ErrNotExist) {
		ks.log.printf("no such identity: %s", path)
		return nil, false
	}
	if err != nil {
		ks.p.Warn(fmt.Sprintf("Load key %q: %v", path, unwrapPathError(err)))
		return nil, false
	}
	signer, err := ssh.ParsePrivateKey(b)
	var missing *ssh.PassphraseMissingError
	switch {
	case err == nil:
		id.pub = signer.PublicKey()
	case errors.As(err, &missing):
		// nil when the format keeps no public part: the key is then
		// decrypted when its turn comes ("Trying private key").
		id.pub = missing.PublicKey
		id.encrypted = ks.h.BatchMode
	default:
		ks.p.Warn(fmt.Sprintf("Load key %q: invalid format", path))
		return nil, false
	}
	return id, true
}

// agentKeys lists the agent's keys, connecting on first use. Failures are
// logged and mean no agent, as in ssh.
func (ks *keySource) agentKeys() []*agentKey {
	sock := agentSocket(ks.h.IdentityAgent, ks.env.AgentSocket)
	if sock == "" {
		return nil
	}
	if ks.agent == nil {
		c, err := dialAgent(ks.ctx, sock)
		if err != nil {
			ks.log.printf("error connecting to agent %s: %v", sock, err)
			return nil
		}
		ks.agent = c
	}
	keys, err := ks.agent.list()
	if err != nil {
		ks.log.printf("agent %s: list keys: %v", sock, err)
		return nil
	}
	ks.log.printf("agent returned %d keys", len(keys))
	return keys
}

// errSkipKey marks a key the user chose not to unlock, or that BatchMode
// or a missing terminal kept locked; it needs no warning.
var errSkipKey = errors.New("key skipped")
