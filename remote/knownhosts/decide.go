package knownhosts

import (
	"context"
	"errors"
	"fmt"

	"github.com/ferry-tui/ferry/remote/prompt"
	"golang.org/x/crypto/ssh"
	xknownhosts "golang.org/x/crypto/ssh/knownhosts"
)

// decisionID identifies a decision about one key for one name recorded
// in one file.
func decisionID(t *target, key ssh.PublicKey) string {
	return t.userFiles[0] + "\x00" + t.name + "\x00" + string(key.Marshal())
}

// decide handles a key that is not known for t, per StrictHostKeyChecking.
// Connections that meet the same key for the same name at the same time
// share one decision: the first asks (or records) and the others wait for
// its outcome.
func (k *Checker) decide(ctx context.Context, t *target, key ssh.PublicKey) error {
	unknown := &UnknownKeyError{
		Host:        t.name,
		KeyType:     key.Type(),
		Fingerprint: ssh.FingerprintSHA256(key),
		Strict:      t.strict,
	}
	switch {
	case t.strict == strictYes:
		return unknown
	case len(t.userFiles) == 0:
		unknown.Err = errNoUserFile
		return unknown
	}
	if err := validateRecordHost(t.recordHost); err != nil {
		unknown.Err = fmt.Errorf("cannot record it in known_hosts: %w", err)
		return unknown
	}
	id := decisionID(t, key)
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
		c := &call{done: make(chan struct{}), err: errDecisionUnfinished}
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
func (k *Checker) lead(id string, c *call, decide func() error) {
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
func (k *Checker) acceptNew(ctx context.Context, t *target, key ssh.PublicKey, unknown *UnknownKeyError) error {
	if st, err := t.judge(k.load(t), key); st != keyNew {
		return err
	}
	if t.strict == strictAsk {
		if t.batch {
			unknown.Err = prompt.ErrNoPrompt
			return unknown
		}
		ok, err := k.p.ConfirmHostKey(ctx, prompt.HostKeyQuestion{
			Host:        t.name,
			KeyType:     key.Type(),
			Fingerprint: ssh.FingerprintSHA256(key),
		})
		if err == nil && !ok {
			err = ErrDeclined
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
		name = xknownhosts.HashHostname(name)
	}
	line := name + " " + string(ssh.MarshalAuthorizedKey(key))
	k.writeMu.Lock()
	err := appendLine(t.userFiles[0], line)
	k.writeMu.Unlock()
	if err != nil {
		k.p.Warn(fmt.Sprintf("Failed to add the host to the list of known hosts (%s): %v", t.userFiles[0], err))
		return nil
	}
	k.p.Warn(fmt.Sprintf("Warning: Permanently added '%s' (%s) to the list of known hosts.", t.name, KeyTypeName(key.Type())))
	return nil
}
