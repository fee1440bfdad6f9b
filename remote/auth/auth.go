// Package auth authenticates an SSH client the way OpenSSH's ssh does:
// the method order of PreferredAuthentications, public keys from identity
// files, certificates and ssh-agent in pubkey_prepare's order, private key
// files read (and their permissions checked, and their passphrases asked)
// only once the server accepts the public key, password and
// keyboard-interactive prompts through a prompt.Prompter. It knows nothing
// of dialling: remote builds an Authenticator for each handshake and
// installs it on x/crypto's ssh.ClientConfig.
package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote/prompt"
	"golang.org/x/crypto/ssh"
)

// maxPrompts is OpenSSH's NumberOfPasswordPrompts default: how often a
// password, a keyboard-interactive exchange or a key's passphrase is asked
// before ssh gives up on it.
const maxPrompts = 3

// Env is what authentication needs from outside the host's
// configuration. The core logic reads no environment variables itself.
type Env struct {
	// AgentSocket is the value of $SSH_AUTH_SOCK, used when the host's
	// IdentityAgent is empty or "SSH_AUTH_SOCK". Empty means no agent.
	AgentSocket string
	// Log receives debug lines (ferry -v), prefixed "debug: ". It never
	// receives a password, passphrase or keyboard-interactive answer. nil
	// discards them.
	Log io.Writer
}

// Authenticator authenticates one connection the way ssh does. Make one
// per connection attempt with New, install it with Apply, and Close it
// once the handshake has returned.
//
// Methods are tried in PreferredAuthentications order (default
// "publickey,keyboard-interactive,password", as ssh 9.x without GSSAPI),
// each only if the server allows it; unsupported names such as
// gssapi-with-mic or hostbased are skipped. Like ssh, an Authenticator
// stays with a method until it has nothing left to try, and starts over in
// that order when the server's list changes (partial success). When no
// method is left, the handshake fails with an error wrapping
// ErrNoMethodLeft.
//
// Public keys are tried one at a time, in the order of OpenSSH's
// pubkey_prepare:
//
//  1. certificates named by CertificateFile;
//  2. agent keys that match an IdentityFile (or its KEY-cert.pub), in the
//     agent's order;
//  3. the agent's other keys, unless IdentitiesOnly;
//  4. the remaining IdentityFiles, each followed by its KEY-cert.pub when
//     no CertificateFile is set.
//
// A certificate is signed with the private key of the first listed
// identity holding its public key (so an agent key is preferred), else
// with its own identity file. An identity file's public key comes from
// PATH itself when it is a public key, else from PATH.pub, else from the
// unencrypted public part of the private key file, so the private key
// file is read only after the server has accepted the public key: only
// then is its passphrase asked ("Enter passphrase for key 'PATH': ", up to
// three times; an empty answer skips the key) and only then is a file that
// group or others may read refused with OpenSSH's "UNPROTECTED PRIVATE KEY
// FILE" warning. A key that cannot sign after the server accepted it is
// skipped without sending anything, and the next key is tried, as in ssh.
// Missing identity files are noted in the debug log only; unreadable or
// unparseable ones are warned about, naming the file.
//
// Password ("USER@HOST's password: ", HOST being HostKeyAlias or
// HostName) and keyboard-interactive (each round's questions together,
// with the server's echo flags) are used when PasswordAuthentication and
// KbdInteractiveAuthentication allow, three attempts each; "Permission
// denied, please try again." is warned before a password is asked again.
// With BatchMode nothing is ever asked: the Prompter is replaced by
// NoPrompter, password and keyboard-interactive are left out, and
// encrypted key files (other than keys the agent holds) are not offered.
type Authenticator struct {
	ctx  context.Context
	h    config.Host
	p    prompt.Prompter
	log  debugLog
	keys *keySource
	// order is PreferredAuthentications without duplicates, unsupported
	// names and disabled methods.
	order []string
	pw    *passwordPrompt
	kbd   *kbdInteractive

	mu sync.Mutex
	// The state of next, after OpenSSH's userauth and authmethod_get.
	supported string          // the server's method list last seen
	pos       int             // next index in order to consider
	current   string          // the method in use, "" for none
	disabled  map[string]bool // methods that have nothing left to try
	partial   int             // partial successes seen
	keyIdx    int             // next identity to offer
	kbdTries  int
}

// New prepares authentication for h. Nothing is read, dialled or asked
// until the handshake needs it. A nil p is NoPrompter.
func New(ctx context.Context, h config.Host, env Env, p prompt.Prompter) *Authenticator {
	if p == nil || h.BatchMode {
		p = prompt.NoPrompter{}
	}
	log := debugLog{w: env.Log}
	a := &Authenticator{
		ctx:      ctx,
		h:        h,
		p:        p,
		log:      log,
		keys:     newKeySource(ctx, h, env, p, log),
		pw:       &passwordPrompt{ctx: ctx, p: p, prompt: fmt.Sprintf("%s@%s's password: ", h.User, promptHost(h))},
		kbd:      &kbdInteractive{ctx: ctx, p: p, log: log},
		disabled: make(map[string]bool),
	}
	seen := make(map[string]bool)
	for _, name := range preferredAuth(h.PreferredAuthentications) {
		if seen[name] {
			continue
		}
		seen[name] = true
		switch name {
		case "publickey":
		case "keyboard-interactive":
			if !h.KbdInteractiveAuthentication || h.BatchMode {
				log.printf("keyboard-interactive disabled (KbdInteractiveAuthentication no or BatchMode yes)")
				continue
			}
		case "password":
			if !h.PasswordAuthentication || h.BatchMode {
				log.printf("password disabled (PasswordAuthentication no or BatchMode yes)")
				continue
			}
		default:
			log.printf("authentication method %q is not supported; skipped", name)
			continue
		}
		a.order = append(a.order, name)
	}
	return a
}

// Apply installs a on cfg: its AuthCallback drives the whole
// authentication, and cfg.Auth is cleared.
func (a *Authenticator) Apply(cfg *ssh.ClientConfig) {
	cfg.Auth = nil
	cfg.AuthCallback = a.next
}

// Methods returns the methods for ssh.ClientConfig.Auth, for callers that
// cannot use Apply: one publickey method holding every key, then
// keyboard-interactive and password, each retried up to three times.
// x/crypto tries each method name once, so without Apply a key that the
// server accepts but that cannot sign (a wrong passphrase, a refused key
// file) ends the publickey method and the keys after it are not tried,
// and an encrypted key whose public half is stored nowhere else is offered
// as a placeholder key if it cannot be unlocked.
func (a *Authenticator) Methods() []ssh.AuthMethod {
	var methods []ssh.AuthMethod
	for _, name := range a.order {
		switch name {
		case "publickey":
			methods = append(methods, ssh.PublicKeysCallback(a.keys.signers))
		case "keyboard-interactive":
			methods = append(methods, ssh.RetryableAuthMethod(ssh.KeyboardInteractive(a.kbd.challenge), maxPrompts))
		case "password":
			methods = append(methods, ssh.RetryableAuthMethod(ssh.PasswordCallback(a.pw.ask), maxPrompts))
		}
	}
	return methods
}

// Close releases the agent connection and the decrypted keys. Call it once
// the handshake has returned, successfully or not.
func (a *Authenticator) Close() { a.keys.close() }

// Methods is New(ctx, h, env, p).Methods() with its Close. Prefer New
// with Apply, which skips an unusable key and goes on with the next one
// exactly as ssh does; see Authenticator.Methods for the difference. The
// error is always nil; it is kept for configurations that may one day be
// refused up front.
func Methods(ctx context.Context, h config.Host, env Env, p prompt.Prompter) (methods []ssh.AuthMethod, closeFn func(), err error) {
	a := New(ctx, h, env, p)
	return a.Methods(), a.Close, nil
}

// next is the ssh.ClientAuthCallback: it returns the next attempt, as
// OpenSSH's userauth does, or an error when nothing is left.
func (a *Authenticator) next(c *ssh.ClientAuthContext) (ssh.AuthMethod, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.ctx.Err(); err != nil {
		return nil, err
	}
	if n := len(c.PartialSuccessMethods); n > a.partial {
		a.partial = n
		a.keyIdx = 0 // as pubkey_reset: every key may be offered again
	}
	if allowed := strings.Join(c.AllowedMethods, ","); allowed != a.supported {
		a.supported, a.pos, a.current = allowed, 0, ""
	}
	if a.current != "" {
		if m := a.attempt(a.current); m != nil {
			return m, nil
		}
		a.disabled[a.current] = true
		a.current = ""
	}
	for a.pos < len(a.order) {
		name := a.order[a.pos]
		a.pos++
		if a.disabled[name] || !slices.Contains(c.AllowedMethods, name) {
			continue
		}
		a.log.printf("next authentication method: %s", name)
		if m := a.attempt(name); m != nil {
			a.current = name
			return m, nil
		}
		a.disabled[name] = true
	}
	if err := a.ctx.Err(); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("%w, attempted methods %v, no supported methods remain (server allows: %s)",
		ErrNoMethodLeft, append([]string{"none"}, c.TriedMethods...), strings.Join(c.AllowedMethods, ","))
}

// ErrNoMethodLeft is wrapped by the error that ends the handshake when the
// server accepted none of the methods an Authenticator had to try.
var ErrNoMethodLeft = errors.New("ssh: unable to authenticate")

// attempt returns the next attempt of method name, or nil when it has
// nothing left to try.
func (a *Authenticator) attempt(name string) ssh.AuthMethod {
	switch name {
	case "publickey":
		for {
			id := a.keys.identity(a.keyIdx)
			if id == nil {
				return nil
			}
			a.keyIdx++
			if s := a.keys.offer(id); s != nil {
				return ssh.PublicKeysCallback(func() ([]ssh.Signer, error) { return []ssh.Signer{s}, nil })
			}
		}
	case "keyboard-interactive":
		// As ssh: three attempts, and none after one in which the
		// server asked nothing.
		if a.kbdTries >= maxPrompts || a.kbd.failed() || (a.kbdTries > 0 && !a.kbd.asked()) {
			return nil
		}
		a.kbdTries++
		return ssh.KeyboardInteractive(a.kbd.challenge)
	case "password":
		if a.pw.attempts >= maxPrompts || a.pw.failed {
			return nil
		}
		return ssh.PasswordCallback(a.pw.ask)
	}
	return nil
}

// defaultPreferredAuth is ssh 9.x's method order without GSSAPI and
// hostbased authentication, which ferry does not support.
func defaultPreferredAuth() []string {
	return []string{"publickey", "keyboard-interactive", "password"}
}

// preferredAuth flattens PreferredAuthentications (values may still hold
// commas) and falls back to the default order.
func preferredAuth(list []string) []string {
	var out []string
	for _, v := range list {
		for _, name := range strings.Split(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				out = append(out, name)
			}
		}
	}
	if len(out) == 0 {
		return defaultPreferredAuth()
	}
	return out
}

// promptHost is the host name ssh shows in password prompts: the
// HostKeyAlias if set, else the name dialled.
func promptHost(h config.Host) string {
	switch {
	case h.HostKeyAlias != "":
		return h.HostKeyAlias
	case h.HostName != "":
		return h.HostName
	}
	return h.Alias
}

// passwordPrompt asks for the password once per attempt.
type passwordPrompt struct {
	ctx      context.Context
	p        prompt.Prompter
	prompt   string
	attempts int
	// failed is set when the Prompter could not ask; password is then
	// not tried again.
	failed bool
}

// ask is the ssh.PasswordCallback. Like ssh it says "Permission denied,
// please try again." before asking a second time.
func (pw *passwordPrompt) ask() (string, error) {
	if err := pw.ctx.Err(); err != nil {
		return "", err
	}
	pw.attempts++
	if pw.attempts > 1 {
		pw.p.Warn("Permission denied, please try again.")
	}
	s, err := pw.p.Secret(pw.ctx, pw.prompt)
	if err != nil {
		pw.failed = true
		return "", fmt.Errorf("password: %w", err)
	}
	return s, nil
}

// kbdInteractive maps keyboard-interactive rounds to the Prompter.
type kbdInteractive struct {
	ctx context.Context
	p   prompt.Prompter
	log debugLog

	mu        sync.Mutex
	infoSeen  bool // the server has sent a round of questions
	promptErr bool // the Prompter could not ask
}

func (k *kbdInteractive) asked() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.infoSeen
}

func (k *kbdInteractive) failed() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.promptErr
}

// challenge is the ssh.KeyboardInteractiveChallenge: one round, any
// number of questions, each with its own echo flag.
func (k *kbdInteractive) challenge(name, instruction string, questions []string, echos []bool) ([]string, error) {
	if err := k.ctx.Err(); err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.infoSeen = true
	k.mu.Unlock()
	k.log.printf("keyboard-interactive round with %d prompt(s)", len(questions))
	cs := make([]prompt.Challenge, len(questions))
	for i, q := range questions {
		cs[i] = prompt.Challenge{Prompt: q, Echo: i < len(echos) && echos[i]}
	}
	if len(cs) == 0 {
		// A round without questions only carries text to show; it
		// needs no answer, so a Prompter that may not ask is fine.
		if name != "" || instruction != "" {
			if _, err := k.p.KeyboardInteractive(k.ctx, name, instruction, nil); err != nil && !errors.Is(err, prompt.ErrNoPrompt) {
				return nil, err
			}
		}
		return nil, nil
	}
	answers, err := k.p.KeyboardInteractive(k.ctx, name, instruction, cs)
	if err != nil {
		k.mu.Lock()
		k.promptErr = true
		k.mu.Unlock()
		return nil, fmt.Errorf("keyboard-interactive: %w", err)
	}
	if len(answers) != len(cs) {
		return nil, fmt.Errorf("keyboard-interactive: %d answers to %d questions", len(answers), len(cs))
	}
	return answers, nil
}

// debugLog writes debug lines; the zero value discards them.
type debugLog struct{ w io.Writer }

// printf writes one debug line. Callers never pass secrets.
func (l debugLog) printf(format string, args ...any) {
	if l.w != nil {
		fmt.Fprintf(l.w, "debug: "+format+"\n", args...)
	}
}
