package tui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"
)

// Asker asks the user questions on behalf of code that runs outside the UI,
// such as a ConnectFunc dialing a host. Its methods are called from that
// code's goroutine and block until the user answers in a dialog, ctx is
// cancelled, or the attempt it belongs to ends. Pressing Esc in a dialog
// returns ErrCancelled.
type Asker interface {
	// AskSecret asks for a password or passphrase; the answer is masked.
	AskSecret(ctx context.Context, prompt string) (string, error)
	// AskText asks a free-form question; echo false masks the answer, as
	// keyboard-interactive questions may ask.
	AskText(ctx context.Context, prompt string, echo bool) (string, error)
	// AskYesNo asks a yes-or-no question.
	AskYesNo(ctx context.Context, question string) (bool, error)
	// AskHostKey asks whether to trust an unknown host key. The user may
	// type yes, no, or paste the fingerprint, which counts as yes only when
	// it matches.
	AskHostKey(ctx context.Context, host, keyType, fingerprint string) (bool, error)
	// Warn shows a message that needs no answer. It never blocks.
	Warn(msg string)
}

// ErrCancelled is returned by an Asker when the user dismissed the dialog
// or gave up on the attempt.
var ErrCancelled = errors.New("cancelled by the user")

// askKind is the dialog an askRequest needs.
type askKind int

const (
	askSecret askKind = iota
	askText
	askYesNo
	askHostKey
	askWarn
)

// askRequest is one question travelling from an Asker to the model.
type askRequest struct {
	kind                   askKind
	prompt                 string // raw: sanitised when shown
	echo                   bool   // askText only
	host, keyType, keyHash string // askHostKey only
	reply                  chan askReply
	// from names the host a background question is asked for (raw).
	from string
	// gone is the asking context's Done: closed once nobody waits for
	// the answer any more.
	gone <-chan struct{}
}

// askReply is the user's answer.
type askReply struct {
	text string
	yes  bool
	err  error
}

// askMsg delivers a question to the model from the connection attempt id.
type askMsg struct {
	attempt uint64
	req     askRequest
}

// chanAsker implements Asker over a channel read by listenAsk (a connect
// attempt's) or listenQuestions (a BackgroundAsker's). When done closes,
// every pending question returns ErrCancelled. from, when set, names the
// host the questions are asked for.
type chanAsker struct {
	reqs chan askRequest
	done <-chan struct{}
	from string
}

// newChanAsker returns an Asker whose questions end when attempt ends.
func newChanAsker(attempt context.Context) *chanAsker {
	return &chanAsker{reqs: make(chan askRequest, 8), done: attempt.Done()}
}

// ask sends req and waits for the answer.
func (a *chanAsker) ask(ctx context.Context, req askRequest) (askReply, error) {
	req.reply = make(chan askReply, 1) // the model never blocks on it
	req.from, req.gone = a.from, ctx.Done()
	if isClosed(a.done) {
		return askReply{}, ErrCancelled // no one will read it
	}
	select {
	case a.reqs <- req:
	case <-ctx.Done():
		return askReply{}, ctx.Err()
	case <-a.done:
		return askReply{}, ErrCancelled
	}
	select {
	case r := <-req.reply:
		return r, r.err
	case <-ctx.Done():
		return askReply{}, ctx.Err()
	case <-a.done:
		return askReply{}, ErrCancelled
	}
}

// AskSecret asks for a masked answer.
func (a *chanAsker) AskSecret(ctx context.Context, prompt string) (string, error) {
	r, err := a.ask(ctx, askRequest{kind: askSecret, prompt: prompt})
	return r.text, err
}

// AskText asks a free-form question, masked unless echo.
func (a *chanAsker) AskText(ctx context.Context, prompt string, echo bool) (string, error) {
	r, err := a.ask(ctx, askRequest{kind: askText, prompt: prompt, echo: echo})
	return r.text, err
}

// AskYesNo asks a yes-or-no question.
func (a *chanAsker) AskYesNo(ctx context.Context, question string) (bool, error) {
	r, err := a.ask(ctx, askRequest{kind: askYesNo, prompt: question})
	return r.yes, err
}

// AskHostKey asks whether to trust an unknown host key.
func (a *chanAsker) AskHostKey(ctx context.Context, host, keyType, fingerprint string) (bool, error) {
	r, err := a.ask(ctx, askRequest{kind: askHostKey, host: host, keyType: keyType, keyHash: fingerprint})
	return r.yes, err
}

// Warn queues msg for the status line, dropping it when the queue is full.
func (a *chanAsker) Warn(msg string) {
	select {
	case a.reqs <- askRequest{kind: askWarn, prompt: msg, from: a.from}:
	default:
	}
}

// listenAsk returns a Cmd that waits for the next question of attempt. It
// returns nil when the attempt ends; the model re-arms it after each
// question.
func listenAsk(a *chanAsker, attempt uint64) tea.Cmd {
	return func() tea.Msg {
		select {
		case req := <-a.reqs:
			return askMsg{attempt: attempt, req: req}
		case <-a.done:
			return nil
		}
	}
}
