// Package knownhosts checks SSH server host keys the way OpenSSH does: it
// reads the known_hosts files (plain and hashed names, patterns,
// @cert-authority and @revoked lines, a bad line skipped with a warning),
// orders the host key algorithms by what they hold, decides on a key by
// OpenSSH's StrictHostKeyChecking table (a changed or revoked key is
// refused in every mode), asks the user about a new key through a
// prompt.Prompter, and records an accepted one. A Checker shares one
// decision among the connections of a process that meet the same new key
// at once.
package knownhosts

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote/prompt"
	"golang.org/x/crypto/ssh"
)

// StrictHostKeyChecking modes, as config resolves them.
const (
	strictYes       = "yes"
	strictAsk       = "ask"
	strictAcceptNew = "accept-new"
	strictNo        = "no"
)

// Checker verifies server host keys against known_hosts files the way
// OpenSSH does, and records new ones. One Checker is shared by every
// connection a process makes: when several connections meet the same new
// key of the same host at once, the user is asked once and the key is
// written once, and the others share that answer.
//
// A Checker holds no file contents between connections: each Verifier
// call reads the files afresh, so changes made by ssh or another ferry are
// seen.
type Checker struct {
	p prompt.Prompter

	mu      sync.Mutex
	pending map[string]*call // decisions being made, by decisionID
	trusted map[string]bool  // keys accepted in this process, by decisionID
	warned  map[string]bool  // warnings already shown, by their key

	writeMu sync.Mutex // serialises appends to known_hosts files
}

// call is one decision about a new key that other connections may wait
// for.
type call struct {
	done chan struct{}
	err  error
}

// New returns a Checker that asks p about unknown keys and
// warns through p about malformed known_hosts lines. A nil p is
// NoPrompter: unknown keys are then refused under StrictHostKeyChecking
// ask, and warnings are dropped.
func New(p prompt.Prompter) *Checker {
	if p == nil {
		p = prompt.NoPrompter{}
	}
	return &Checker{
		p:       p,
		pending: make(map[string]*call),
		trusted: make(map[string]bool),
		warned:  make(map[string]bool),
	}
}

// warnOnce passes msg to the Prompter unless a warning with the same key
// was shown before by this Checker, so a bad known_hosts line is
// reported once per process, not once per connection.
func (k *Checker) warnOnce(key, msg string) {
	k.mu.Lock()
	seen := k.warned[key]
	k.warned[key] = true
	k.mu.Unlock()
	if !seen {
		k.p.Warn(msg)
	}
}

// target is what one connection's host key is checked against.
type target struct {
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
func (t *target) files() []string {
	return append(append([]string(nil), t.userFiles...), t.globalFiles...)
}

// normalizeStrict maps a StrictHostKeyChecking value to one of the four
// modes; empty is OpenSSH's default, ask.
func normalizeStrict(v string) (string, error) {
	if v == "" {
		return strictAsk, nil
	}
	if s, ok := config.ParseStrict(v); ok {
		return s, nil
	}
	return "", fmt.Errorf("StrictHostKeyChecking: unsupported value %q", v)
}

// newTarget works out the names of h to look up and record.
func newTarget(h config.Host, hostport string) (*target, error) {
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
	t := &target{
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
		t.name, t.recordHost, t.principal = hostPort(host, port), host, host
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
//     *RevokedKeyError, in every mode.
//   - A key listed for the host is accepted.
//   - If other keys are listed for the host, the key is refused with a
//     *ChangedKeyError in every mode, StrictHostKeyChecking no
//     included (OpenSSH would connect without password authentication).
//   - Otherwise the key is new. StrictHostKeyChecking yes refuses it with a
//     *UnknownKeyError. ask (the default) asks the Prompter, showing
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
func (k *Checker) Verifier(ctx context.Context, h config.Host, hostport string) (ssh.HostKeyCallback, []string, error) {
	t, err := newTarget(h, hostport)
	if err != nil {
		return nil, nil, err
	}
	db := k.load(t)
	algos, err := orderHostKeyAlgorithms(h.HostKeyAlgorithms, db.matching(t.name))
	if err != nil {
		return nil, nil, err
	}
	v := &verifier{k: k, ctx: ctx, t: t, db: db}
	return v.callback, algos, nil
}

// load reads the known_hosts files of t, warning about what it skips.
func (k *Checker) load(t *target) *store {
	return readFiles(t.files(), k.warnOnce)
}
