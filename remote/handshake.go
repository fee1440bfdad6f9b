package remote

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote/auth"
	"github.com/ferry-tui/ferry/remote/knownhosts"
	"golang.org/x/crypto/ssh"
)

// handshakeTimer bounds the SSH handshake by ConnectTimeout. OpenSSH's
// ConnectTimeout does not run while the user types a password or judges a
// host key, so the timer pauses during prompts and starts afresh after.
type handshakeTimer struct {
	d      time.Duration
	onFire func()

	mu      sync.Mutex
	t       *time.Timer
	didFire bool
	done    bool
}

func newHandshakeTimer(d time.Duration, onFire func()) *handshakeTimer {
	ht := &handshakeTimer{d: d, onFire: onFire}
	ht.resume()
	return ht
}

func (ht *handshakeTimer) fire() {
	ht.mu.Lock()
	if ht.done {
		ht.mu.Unlock()
		return
	}
	ht.didFire = true
	ht.mu.Unlock()
	ht.onFire()
}

// pause stops the clock.
func (ht *handshakeTimer) pause() {
	ht.mu.Lock()
	defer ht.mu.Unlock()
	if ht.t != nil {
		ht.t.Stop()
		ht.t = nil
	}
}

// resume restarts the clock with the whole timeout.
func (ht *handshakeTimer) resume() {
	ht.mu.Lock()
	defer ht.mu.Unlock()
	if ht.d <= 0 || ht.done || ht.didFire {
		return
	}
	if ht.t != nil {
		ht.t.Stop() // nested pause/resume: one clock at a time
	}
	ht.t = time.AfterFunc(ht.d, ht.fire)
}

// stop ends the timer for good.
func (ht *handshakeTimer) stop() {
	ht.pause()
	ht.mu.Lock()
	ht.done = true
	ht.mu.Unlock()
}

// fired reports whether the timeout ended the handshake.
func (ht *handshakeTimer) fired() bool {
	ht.mu.Lock()
	defer ht.mu.Unlock()
	return ht.didFire
}

// pausedDuring wraps a host-key callback so that a prompt it opens does
// not count against the timeout.
func (ht *handshakeTimer) pausedDuring(cb ssh.HostKeyCallback) ssh.HostKeyCallback {
	return func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		ht.pause()
		defer ht.resume()
		return cb(hostname, remote, key)
	}
}

// pausingPrompter pauses a handshake timer while a question is open.
type pausingPrompter struct {
	Prompter
	timer *handshakeTimer
}

func (p pausingPrompter) Secret(ctx context.Context, prompt string) (string, error) {
	p.timer.pause()
	defer p.timer.resume()
	return p.Prompter.Secret(ctx, prompt)
}

func (p pausingPrompter) KeyboardInteractive(ctx context.Context, name, instruction string, qs []Challenge) ([]string, error) {
	p.timer.pause()
	defer p.timer.resume()
	return p.Prompter.KeyboardInteractive(ctx, name, instruction, qs)
}

func (p pausingPrompter) ConfirmHostKey(ctx context.Context, q HostKeyQuestion) (bool, error) {
	p.timer.pause()
	defer p.timer.resume()
	return p.Prompter.ConfirmHostKey(ctx, q)
}

// supportedOnly keeps the algorithms of the ssh_config list want (which
// may name some only OpenSSH has) that x/crypto implements, in want's
// order. An empty want means x/crypto's defaults (nil); a list of which
// nothing is implemented is an error, never a silent fallback.
func supportedOnly(keyword string, want, supported []string) ([]string, error) {
	if len(want) == 0 {
		return nil, nil
	}
	var out []string
	for _, a := range want {
		if slices.Contains(supported, a) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: ferry implements none of %s", keyword, strings.Join(want, ","))
	}
	return out, nil
}

// handshake runs the SSH handshake and authentication over conn, bounded by
// ConnectTimeout (paused while the user answers a prompt) and ctx, then
// starts keepalives.
func (d *Dialer) handshake(ctx context.Context, h config.Host, addr string, conn net.Conn) (*ssh.Client, error) {
	timer := newHandshakeTimer(h.ConnectTimeout, func() { conn.Close() })
	defer timer.stop()
	stopCtx := context.AfterFunc(ctx, func() { conn.Close() })
	defer stopCtx()
	p := pausingPrompter{Prompter: d.prompter(), timer: timer}

	kh := d.KnownHosts
	if kh == nil {
		kh = knownhosts.New(p)
	}
	cb, algos, err := kh.Verifier(ctx, h, addr)
	if err != nil {
		return nil, err
	}
	a := auth.New(ctx, h, auth.Env{AgentSocket: d.AgentSocket, Log: d.Log}, p)
	defer a.Close()
	cfg := &ssh.ClientConfig{
		User:              h.User,
		HostKeyCallback:   timer.pausedDuring(cb),
		HostKeyAlgorithms: algos,
	}
	a.Apply(cfg)
	all := ssh.SupportedAlgorithms()
	if cfg.Ciphers, err = supportedOnly("Ciphers", h.Ciphers, all.Ciphers); err != nil {
		return nil, err
	}
	if cfg.KeyExchanges, err = supportedOnly("KexAlgorithms", h.KexAlgorithms, all.KeyExchanges); err != nil {
		return nil, err
	}
	if cfg.MACs, err = supportedOnly("MACs", h.MACs, all.MACs); err != nil {
		return nil, err
	}

	c, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	if timer.fired() || ctx.Err() != nil {
		if err == nil {
			c.Close()
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("timed out after %v (ConnectTimeout) during the SSH handshake", h.ConnectTimeout)
	}
	if err != nil {
		return nil, explainHandshake(err)
	}
	d.logf("authenticated to %s as %s (server %q)", addr, h.User, c.ServerVersion())
	client := ssh.NewClient(c, chans, reqs)
	interval, count := aliveSettings(h)
	stop := make(chan struct{})
	go func() {
		_ = client.Wait()
		close(stop)
	}()
	go keepalive(c, interval, count, stop)
	return client, nil
}

// aliveSettings returns the keepalive interval and count for h.
func aliveSettings(h config.Host) (time.Duration, int) {
	interval, count := h.ServerAliveInterval, h.ServerAliveCountMax
	if interval <= 0 {
		interval = defaultAliveInterval
	}
	if count <= 0 {
		count = defaultAliveCountMax
	}
	return interval, count
}

// AuthError is a failure to authenticate: the server accepted none of the
// methods tried. A session that meets it while reconnecting gives up at
// once.
type AuthError struct {
	// Err is x/crypto's error.
	Err error
}

// Error says authentication failed, with x/crypto's reason.
func (e *AuthError) Error() string { return fmt.Sprintf("authentication failed (%v)", e.Err) }

// Unwrap returns x/crypto's error.
func (e *AuthError) Unwrap() error { return e.Err }

// explainHandshake turns x/crypto's handshake errors into plain words.
func explainHandshake(err error) error {
	// Host-key verdicts are complete messages of their own (OpenSSH's
	// warnings); x/crypto's "ssh: handshake failed:" prefix adds nothing.
	var changed *knownhosts.ChangedKeyError
	var revoked *knownhosts.RevokedKeyError
	var unknown *knownhosts.UnknownKeyError
	switch {
	case errors.As(err, &changed):
		return changed
	case errors.As(err, &revoked):
		return revoked
	case errors.As(err, &unknown):
		return unknown
	}
	var noAlgo *ssh.AlgorithmNegotiationError
	switch {
	case errors.Is(err, auth.ErrNoMethodLeft):
		return &AuthError{Err: err}
	case errors.As(err, &noAlgo):
		return fmt.Errorf("no algorithm in common with the server (%w)", err)
	}
	return err
}
