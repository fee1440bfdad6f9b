// Package ttyprompt asks the user on the terminal, the way ssh does: the
// prompt.Prompter of ferry's headless commands (ferry cp, ferry ls and the
// others). Passwords and passphrases are read with echo off, host keys are
// confirmed with OpenSSH's question and answers, and whatever a server or
// a file supplied is shown escaped.
package ttyprompt

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/ferry-tui/ferry/remote/knownhosts"
	"github.com/ferry-tui/ferry/remote/prompt"
	"github.com/ferry-tui/ferry/text"
	"golang.org/x/term"
)

// Config is the terminal a Prompter talks to. Open fills it from
// /dev/tty; tests inject readers and writers.
type Config struct {
	// In supplies the user's answers, one line each.
	In io.Reader
	// Out shows the questions.
	Out io.Writer
	// Warn receives warnings; nil means Out.
	Warn io.Writer
	// IsTerminal reports whether In is an interactive terminal; when it is
	// not, every question fails with prompt.ErrNoPrompt, as ssh will not
	// read a secret from anything else. nil means: In is an *os.File that
	// is a terminal.
	IsTerminal func() bool
}

// Prompter is the prompt.Prompter of the headless commands: it asks on
// the terminal the way ssh does. Secrets are read with echo off (through
// golang.org/x/term when In is a terminal file), other answers as plain
// lines, and every string that came from a server or a file is shown with
// control, bidi and invalid bytes escaped. Questions are asked one at a
// time. A Prompter is safe for concurrent use.
type Prompter struct {
	mu     sync.Mutex // held for a whole question
	warnMu sync.Mutex // held while a warning is written
	in     *bufio.Reader
	fd     int // In's descriptor when it is a terminal file, else -1
	out    io.Writer
	warn   io.Writer
	isTerm func() bool
	closer io.Closer
	// abandoned is set, under mu, once a read was given up on Ctrl-C.
	abandoned bool
}

var _ prompt.Prompter = (*Prompter)(nil)

// Open opens /dev/tty for questions and answers, and sends warnings to
// standard error. Without a controlling terminal it returns an error that
// matches prompt.ErrNoPrompt; callers then use prompt.NoPrompter. Close
// releases the terminal.
func Open() (*Prompter, error) {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", prompt.ErrNoPrompt, err)
	}
	if !term.IsTerminal(int(f.Fd())) {
		f.Close()
		return nil, fmt.Errorf("%w: /dev/tty is not a terminal", prompt.ErrNoPrompt)
	}
	t := New(Config{In: f, Out: f, Warn: os.Stderr})
	t.closer = f
	return t, nil
}

// New returns a Prompter on c's reader and writers.
func New(c Config) *Prompter {
	t := &Prompter{in: bufio.NewReader(c.In), fd: -1, out: c.Out, warn: c.Warn, isTerm: c.IsTerminal}
	if t.warn == nil {
		t.warn = c.Out
	}
	if f, ok := c.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		t.fd = int(f.Fd())
	}
	if t.isTerm == nil {
		t.isTerm = func() bool { return t.fd >= 0 }
	}
	return t
}

// Close closes the terminal Open opened; for a Prompter from New it does
// nothing.
func (t *Prompter) Close() error {
	if t.closer == nil {
		return nil
	}
	return t.closer.Close()
}

// begin takes the prompter for one question, or says why it may not ask.
func (t *Prompter) begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !t.isTerm() {
		return fmt.Errorf("%w: input is not a terminal", prompt.ErrNoPrompt)
	}
	t.mu.Lock()
	return nil
}

// Secret shows prompt and reads an answer without echo.
func (t *Prompter) Secret(ctx context.Context, question string) (string, error) {
	if err := t.begin(ctx); err != nil {
		return "", err
	}
	defer t.mu.Unlock()
	if _, err := io.WriteString(t.out, text.SanitizeLines(question)); err != nil {
		return "", err
	}
	return t.readCtx(ctx, t.readSecret)
}

// KeyboardInteractive shows the server's name and instruction, then asks
// each question, echoing the answer only where the server allows it.
func (t *Prompter) KeyboardInteractive(ctx context.Context, name, instruction string, questions []prompt.Challenge) ([]string, error) {
	if err := t.begin(ctx); err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	for _, s := range []string{name, instruction} {
		if s != "" {
			if _, err := io.WriteString(t.out, text.SanitizeLines(strings.TrimRight(s, "\n"))+"\n"); err != nil {
				return nil, err
			}
		}
	}
	answers := make([]string, 0, len(questions))
	for _, q := range questions {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if _, err := io.WriteString(t.out, text.SanitizeLines(q.Prompt)); err != nil {
			return nil, err
		}
		var (
			a   string
			err error
		)
		if q.Echo {
			a, err = t.readCtx(ctx, t.readLine)
		} else {
			a, err = t.readCtx(ctx, t.readSecret)
		}
		if err != nil {
			return nil, err
		}
		answers = append(answers, a)
	}
	return answers, nil
}

// ConfirmHostKey asks OpenSSH's question about an unknown host key. The
// answers are ssh's: "yes" or the pasted fingerprint trust the key; "no",
// an empty line or the end of input refuse it; anything else, including a
// fingerprint that does not match, asks again.
func (t *Prompter) ConfirmHostKey(ctx context.Context, q prompt.HostKeyQuestion) (bool, error) {
	if err := t.begin(ctx); err != nil {
		return false, err
	}
	defer t.mu.Unlock()
	msg := fmt.Sprintf("The authenticity of host '%s' can't be established.\n"+
		"%s key fingerprint is %s.\n"+
		"Are you sure you want to continue connecting (yes/no/[fingerprint])? ",
		text.Sanitize(q.Host), text.Sanitize(knownhosts.KeyTypeName(q.KeyType)), text.Sanitize(q.Fingerprint))
	for {
		if _, err := io.WriteString(t.out, msg); err != nil {
			return false, err
		}
		line, err := t.readCtx(ctx, t.readLine)
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		// As ssh: leading blanks skipped, the answer ends at the next blank.
		answer := strings.TrimLeft(line, " \t")
		if i := strings.IndexAny(answer, " \t"); i >= 0 {
			answer = answer[:i]
		}
		switch {
		case answer == "" || strings.EqualFold(answer, "no"):
			return false, nil
		case strings.EqualFold(answer, "yes"), q.Fingerprint != "" && answer == q.Fingerprint:
			return true, nil
		}
		if err := ctx.Err(); err != nil {
			return false, err
		}
		msg = "Please type 'yes', 'no' or the fingerprint: "
	}
}

// Warn writes msg, escaped, on a line of its own to the warning writer.
// It does not wait for a question in progress to be answered.
func (t *Prompter) Warn(msg string) {
	t.warnMu.Lock()
	defer t.warnMu.Unlock()
	_, _ = io.WriteString(t.warn, text.SanitizeLines(strings.TrimRight(msg, "\n"))+"\n")
}

// readCtx runs read until it returns or ctx ends. On Ctrl-C (which cancels
// ctx) it restores the terminal's state, so echo is never left off, and
// returns at once; the abandoned read ends the prompter, which then
// refuses every further question.
func (t *Prompter) readCtx(ctx context.Context, read func() (string, error)) (string, error) {
	if t.abandoned {
		return "", prompt.ErrNoPrompt
	}
	var state *term.State
	if t.fd >= 0 {
		state, _ = term.GetState(t.fd)
	}
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		s, err := read()
		ch <- result{s, err}
	}()
	select {
	case r := <-ch:
		return r.s, r.err
	case <-ctx.Done():
		t.abandoned = true
		if state != nil {
			_ = term.Restore(t.fd, state)
		}
		_, _ = io.WriteString(t.out, "\n")
		return "", ctx.Err()
	}
}

// readLine reads one line, without its line ending. A last line without
// one counts; end of input before any character is io.EOF.
func (t *Prompter) readLine() (string, error) {
	line, err := t.in.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// readSecret reads one line with echo off. On a terminal file that is
// term.ReadPassword, followed by the newline the user's Enter did not
// echo; elsewhere (tests) it is a plain line.
func (t *Prompter) readSecret() (string, error) {
	if t.fd < 0 || t.in.Buffered() > 0 {
		return t.readLine()
	}
	b, err := term.ReadPassword(t.fd)
	_, _ = io.WriteString(t.out, "\n")
	if err != nil {
		return "", err
	}
	return string(b), nil
}
