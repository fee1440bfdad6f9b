package remote

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

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
