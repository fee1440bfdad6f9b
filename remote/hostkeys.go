package remote

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/ferry-tui/ferry/config"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// StrictHostKeyChecking modes, as config resolves them.
const (
	strictYes       = "yes"
	strictAsk       = "ask"
	strictAcceptNew = "accept-new"
	strictNo        = "no"
)

// KnownHosts verifies server host keys against known_hosts files the way
// OpenSSH does, and records new ones. One KnownHosts is shared by every
// connection a process makes: when several connections meet the same new
// key of the same host at once, the user is asked once and the key is
// written once, and the others share that answer.
//
// A KnownHosts holds no file contents between connections: each Verifier
// call reads the files afresh, so changes made by ssh or another ferry are
// seen.
type KnownHosts struct {
	p Prompter

	mu      sync.Mutex
	pending map[string]*khCall // decisions being made, by khDecisionID
	trusted map[string]bool    // keys accepted in this process, by khDecisionID
	warned  map[string]bool    // warnings already shown, by their key

	writeMu sync.Mutex // serialises appends to known_hosts files
}

// khCall is one decision about a new key that other connections may wait
// for.
type khCall struct {
	done chan struct{}
	err  error
}

// NewKnownHosts returns a KnownHosts that asks p about unknown keys and
// warns through p about malformed known_hosts lines. A nil p is
// NoPrompter: unknown keys are then refused under StrictHostKeyChecking
// ask, and warnings are dropped.
func NewKnownHosts(p Prompter) *KnownHosts {
	if p == nil {
		p = NoPrompter{}
	}
	return &KnownHosts{
		p:       p,
		pending: make(map[string]*khCall),
		trusted: make(map[string]bool),
		warned:  make(map[string]bool),
	}
}

// warnOnce passes msg to the Prompter unless a warning with the same key
// was shown before by this KnownHosts, so a bad known_hosts line is
// reported once per process, not once per connection.
func (k *KnownHosts) warnOnce(key, msg string) {
	k.mu.Lock()
	seen := k.warned[key]
	k.warned[key] = true
	k.mu.Unlock()
	if !seen {
		k.p.Warn(msg)
	}
}

// khTarget is what one connection's host key is checked against.
type khTarget struct {
	// name is the name looked up and recorded: the HostKeyAlias, or
	// HostName with "[...]:port" for a port other than 22; lower case.
	name string
	// bare is HostName alone, also looked up (OpenSSH's "checking without
	// port identifier") when no key is known under name; empty when the
	// port is 22 or a HostKeyAlias is set.
	bare string
	// recordHost is the host part of name, validated before writing.
	recordHost string
	// principal is the name a host certificate must be issued for.
	principal   string
	strict      string
	batch       bool
	hash        bool
	userFiles   []string
	globalFiles []string
}

// files returns the files to read, user files first.
func (t *khTarget) files() []string {
	return append(append([]string(nil), t.userFiles...), t.globalFiles...)
}

// normalizeStrict maps a StrictHostKeyChecking value to one of the four
// modes; empty is OpenSSH's default, ask.
func normalizeStrict(v string) (string, error) {
	switch strings.ToLower(v) {
	case "", "ask":
		return strictAsk, nil
	case "yes", "true":
		return strictYes, nil
	case "accept-new":
		return strictAcceptNew, nil
	case "no", "off", "false":
		return strictNo, nil
	}
	return "", fmt.Errorf("StrictHostKeyChecking: unsupported value %q", v)
}

// newTarget works out the names of h to look up and record.
func newTarget(h config.Host, hostport string) (*khTarget, error) {
	strict, err := normalizeStrict(h.StrictHostKeyChecking)
	if err != nil {
		return nil, err
	}
	host, port := h.HostName, h.Port
	if host == "" || port == 0 {
		hh, pp, err := net.SplitHostPort(hostport)
		if err != nil {
			hh, pp = hostport, ""
		}
		if host == "" {
			host = hh
		}
		if port == 0 && pp != "" {
			if port, err = strconv.Atoi(pp); err != nil {
				return nil, fmt.Errorf("bad port in %q", hostport)
			}
		}
	}
	if port == 0 {
		port = 22
	}
	host = asciiLower(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	if host == "" {
		return nil, errors.New("no host name to check the host key of")
	}
	t := &khTarget{
		strict:      strict,
		batch:       h.BatchMode,
		hash:        h.HashKnownHosts,
		userFiles:   h.UserKnownHostsFiles,
		globalFiles: h.GlobalKnownHostsFiles,
	}
	if h.HostKeyAlias != "" {
		alias := asciiLower(h.HostKeyAlias)
		t.name, t.recordHost, t.principal = alias, alias, alias
	} else {
		t.name, t.recordHost, t.principal = khHostPort(host, port), host, host
		if port != 22 {
			t.bare = host
		}
	}
	return t, nil
}

// Verifier returns the host key callback and host key algorithms for one
// connection to h; put them in ssh.ClientConfig's HostKeyCallback and
// HostKeyAlgorithms. hostport is the address being dialled ("host:port");
// it is used only for what h leaves empty (HostName, Port).
//
// The algorithms are h.HostKeyAlgorithms (OpenSSH's default list when
// empty), without those x/crypto cannot verify, with the types of the keys
// already known for the host first, and all certificate types first when a
// @cert-authority line matches the host. Without this, x/crypto would
// negotiate ECDSA with a server that also has the Ed25519 key known_hosts
// lists, and report a changed key.
//
// The callback checks keys as OpenSSH does. The host is looked up by its
// HostKeyAlias if set, else as HostName for port 22 and "[HostName]:port"
// for other ports, then (when the key is new under that name, and there is
// no alias) as the bare HostName, where only a match or a revocation
// counts; names are compared case-insensitively,
// plain entries as pattern lists ('*', '?', '!') and hashed ones
// ("|1|salt|hash") by HMAC. The user files are read before the global ones,
// and a missing file counts as empty. Then:
//
//   - A host certificate signed by a CA of a matching @cert-authority line,
//     valid now, for the HostKeyAlias or HostName, without critical options
//     and not signed with ssh-rsa (SHA-1), is accepted. Any other
//     certificate is judged by its plain key, as below.
//   - A key (or CA) listed by a matching @revoked line is refused with a
//     *HostKeyRevokedError, in every mode.
//   - A key listed for the host is accepted.
//   - If other keys are listed for the host, the key is refused with a
//     *HostKeyChangedError in every mode, StrictHostKeyChecking no
//     included (OpenSSH would connect without password authentication).
//   - Otherwise the key is new. StrictHostKeyChecking yes refuses it with a
//     *HostKeyUnknownError. ask (the default) asks the Prompter, showing
//     the name to be recorded, the key type and its SHA256 fingerprint
//     (BatchMode refuses instead of asking). accept-new and no accept it.
//     An accepted key is appended to the first UserKnownHostsFile (see
//     below); with no UserKnownHostsFile, new keys are refused, as OpenSSH
//     refuses them when it cannot record them.
//
// A recorded line is "NAME TYPE BASE64", NAME being the looked-up name
// lowercased, hashed when HashKnownHosts is set. It is written with a
// single append to a file created with mode 0600, in a directory created
// with mode 0700 if missing, after a newline if the file does not end with
// one. A name with white space, control or format characters, ',', '#',
// '*', '?', brackets, or a leading '!', '@' or '|' is never written: the
// key is refused instead. If the write fails, the connection goes ahead and the
// Prompter is warned, as ssh does.
//
// Malformed lines and unreadable files are skipped with a warning through
// the Prompter naming file:line. The callback uses ctx for the question
// and for waiting on another connection's question; ctx must last until
// the handshake is over. When the callback fails, x/crypto ends the
// handshake before authentication: nothing, no password and no key
// signature, has been sent.
func (k *KnownHosts) Verifier(ctx context.Context, h config.Host, hostport string) (ssh.HostKeyCallback, []string, error) {
	t, err := newTarget(h, hostport)
	if err != nil {
		return nil, nil, err
	}
	db := k.load(t)
	algos, err := orderHostKeyAlgorithms(h.HostKeyAlgorithms, db.matching(t.name))
	if err != nil {
		return nil, nil, err
	}
	v := &khVerifier{k: k, ctx: ctx, t: t, db: db}
	return v.callback, algos, nil
}

// load reads the known_hosts files of t, warning about what it skips.
func (k *KnownHosts) load(t *khTarget) *khDB {
	return loadKnownHosts(t.files(), k.warnOnce)
}

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

// khDecisionID identifies a decision about one key for one name recorded
// in one file.
func khDecisionID(t *khTarget, key ssh.PublicKey) string {
	return t.userFiles[0] + "\x00" + t.name + "\x00" + string(key.Marshal())
}

// decide handles a key that is not known for t, per StrictHostKeyChecking.
// Connections that meet the same key for the same name at the same time
// share one decision: the first asks (or records) and the others wait for
// its outcome.
func (k *KnownHosts) decide(ctx context.Context, t *khTarget, key ssh.PublicKey) error {
	unknown := &HostKeyUnknownError{
		Host:        t.name,
		KeyType:     key.Type(),
		Fingerprint: ssh.FingerprintSHA256(key),
		Strict:      t.strict,
	}
	switch {
	case t.strict == strictYes:
		return unknown
	case len(t.userFiles) == 0:
		unknown.Err = errNoUserKnownHostsFile
		return unknown
	}
	if err := validateRecordHost(t.recordHost); err != nil {
		unknown.Err = fmt.Errorf("cannot record it in known_hosts: %w", err)
		return unknown
	}
	id := khDecisionID(t, key)
	for {
		k.mu.Lock()
		if k.trusted[id] {
			k.mu.Unlock()
			return nil
		}
		if c, ok := k.pending[id]; ok {
			k.mu.Unlock()
			select {
			case <-c.done:
			case <-ctx.Done():
				return ctx.Err()
			}
			// A decision abandoned because its own connection gave up
			// is not an answer for this one: decide again.
			if errors.Is(c.err, context.Canceled) || errors.Is(c.err, context.DeadlineExceeded) {
				continue
			}
			return c.err
		}
		c := &khCall{done: make(chan struct{}), err: errDecisionUnfinished}
		k.pending[id] = c
		k.mu.Unlock()
		k.lead(id, c, func() error { return k.acceptNew(ctx, t, key, unknown) })
		return c.err
	}
}

// errDecisionUnfinished is what connections waiting on a decision get if
// the connection making it panicked (in a Prompter, say).
var errDecisionUnfinished = errors.New("the decision about this host key did not finish")

// lead makes the decision c with decide, then publishes it: the key is
// trusted for the rest of the process if accepted, and waiting
// connections are released, even if decide panics.
func (k *KnownHosts) lead(id string, c *khCall, decide func() error) {
	defer func() {
		k.mu.Lock()
		delete(k.pending, id)
		if c.err == nil {
			k.trusted[id] = true
		}
		k.mu.Unlock()
		close(c.done)
	}()
	c.err = decide()
}

// acceptNew asks about (in ask mode) and records a new key. It reads the
// files again first: another connection or program may have recorded the
// key, or another one, since the connection started.
func (k *KnownHosts) acceptNew(ctx context.Context, t *khTarget, key ssh.PublicKey, unknown *HostKeyUnknownError) error {
	if st, err := t.judge(k.load(t), key); st != khNew {
		return err
	}
	if t.strict == strictAsk {
		if t.batch {
			unknown.Err = ErrNoPrompt
			return unknown
		}
		ok, err := k.p.ConfirmHostKey(ctx, HostKeyQuestion{
			Host:        t.name,
			KeyType:     key.Type(),
			Fingerprint: ssh.FingerprintSHA256(key),
		})
		if err == nil && !ok {
			err = ErrHostKeyDeclined
		}
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			unknown.Err = err
			return unknown
		}
	}
	name := t.name
	if t.hash {
		name = knownhosts.HashHostname(name)
	}
	line := name + " " + string(ssh.MarshalAuthorizedKey(key))
	k.writeMu.Lock()
	err := appendKnownHostsLine(t.userFiles[0], line)
	k.writeMu.Unlock()
	if err != nil {
		k.p.Warn(fmt.Sprintf("Failed to add the host to the list of known hosts (%s): %v", t.userFiles[0], err))
		return nil
	}
	k.p.Warn(fmt.Sprintf("Warning: Permanently added '%s' (%s) to the list of known hosts.", t.name, opensshKeyType(key.Type())))
	return nil
}
