// Package prompt is the contract between ferry's SSH code and whoever asks
// the user while a connection is made: the Prompter interface (secrets,
// keyboard-interactive rounds, unknown host keys, warnings), the questions
// it is given, NoPrompter for when nothing may be asked, and ErrNoPrompt,
// the error that says so. It holds no implementation that talks to a
// person: the TUI implements Prompter with dialogs, remote/ttyprompt with
// the terminal.
package prompt

import (
	"context"
	"errors"
)

// ErrNoPrompt is returned by a Prompter that may not ask: BatchMode is on,
// or there is no terminal to ask on.
var ErrNoPrompt = errors.New("cannot ask: no terminal, or BatchMode is set")

// HostKeyQuestion describes an unknown host key for the user to judge.
type HostKeyQuestion struct {
	// Host is the name as it will be recorded, e.g. "web1" or "[10.0.0.5]:2222".
	Host string
	// KeyType is the key's algorithm name, e.g. "ssh-ed25519".
	KeyType string
	// Fingerprint is the SHA256 fingerprint as OpenSSH prints it ("SHA256:...").
	Fingerprint string
}

// Challenge is one keyboard-interactive question.
type Challenge struct {
	// Prompt is the question text from the server (raw: sanitise before display).
	Prompt string
	// Echo says whether the answer may be shown while typed.
	Echo bool
}

// Prompter asks the user for secrets and decisions while connecting. The
// TUI implements it with dialogs; headless commands use the terminal.
// Implementations return ErrNoPrompt when they may not ask.
type Prompter interface {
	// Secret asks for a password or passphrase; prompt says which, e.g.
	// "demo@127.0.0.1's password: ". The answer must not be echoed.
	Secret(ctx context.Context, prompt string) (string, error)
	// KeyboardInteractive answers one round of keyboard-interactive
	// questions; name and instruction come from the server (raw).
	KeyboardInteractive(ctx context.Context, name, instruction string, questions []Challenge) ([]string, error)
	// ConfirmHostKey asks whether to trust and record an unknown host key.
	// The user may answer yes, no, or paste the fingerprint, which counts
	// as yes only when it matches.
	ConfirmHostKey(ctx context.Context, q HostKeyQuestion) (bool, error)
	// Warn shows a message that does not need an answer, such as a skipped
	// malformed known_hosts line.
	Warn(msg string)
}

// NoPrompter refuses every question; it is what BatchMode uses.
type NoPrompter struct{}

// Secret returns ErrNoPrompt.
func (NoPrompter) Secret(context.Context, string) (string, error) { return "", ErrNoPrompt }

// KeyboardInteractive returns ErrNoPrompt.
func (NoPrompter) KeyboardInteractive(context.Context, string, string, []Challenge) ([]string, error) {
	return nil, ErrNoPrompt
}

// ConfirmHostKey returns ErrNoPrompt.
func (NoPrompter) ConfirmHostKey(context.Context, HostKeyQuestion) (bool, error) {
	return false, ErrNoPrompt
}

// Warn discards msg.
func (NoPrompter) Warn(string) {}
