package remote

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/ferry-tui/ferry/remote/knownhosts"
	"golang.org/x/term"
)

// TTYConfig is the terminal a TTYPrompter talks to. OpenTTYPrompter fills
// it from /dev/tty; tests inject readers and writers.
type TTYConfig struct {
	// In supplies the user's answers, one line each.
	In io.Reader
	// Out shows the questions.
	Out io.Writer
	// Warn receives warnings; nil means Out.
	Warn io.Writer
	// IsTerminal reports whether In is an interactive terminal; when it is
	// not, every question fails with ErrNoPrompt, as ssh will not read
	// a secret from anything else. nil means: In is an *os.File that is a
	// terminal.
	IsTerminal func() bool
}

// TTYPrompter is the Prompter of the headless commands: it asks on the
// terminal the way ssh does. Secrets are read with echo off (through
// golang.org/x/term when In is a terminal file), other answers as plain
// lines, and every string that came from a server or a file is shown with
// control, bidi and invalid bytes escaped. Questions are asked one at a
// time. A TTYPrompter is safe for concurrent use.
type TTYPrompter struct {
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

var _ Prompter = (*TTYPrompter)(nil)

// OpenTTYPrompter opens /dev/tty for questions and answers, and sends
// warnings to standard error. Without a controlling terminal it returns an
// error that matches ErrNoPrompt; callers then use NoPrompter. Close
// releases the terminal.
func OpenTTYPrompter() (*TTYPrompter, error) {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoPrompt, err)
	}
	if !term.IsTerminal(int(f.Fd())) {
		f.Close()
		return nil, fmt.Errorf("%w: /dev/tty is not a terminal", ErrNoPrompt)
	}
	t := NewTTYPrompter(TTYConfig{In: f, Out: f, Warn: os.Stderr})
	t.closer = f
	return t, nil
}

// NewTTYPrompter returns a TTYPrompter on c's reader and writers.
func NewTTYPrompter(c TTYConfig) *TTYPrompter {
	t := &TTYPrompter{in: bufio.NewReader(c.In), fd: -1, out: c.Out, warn: c.Warn, isTerm: c.IsTerminal}
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

// Close closes the terminal OpenTTYPrompter opened; for a TTYPrompter
// from NewTTYPrompter it does nothing.
func (t *TTYPrompter) Close() error {
	if t.closer == nil {
		return nil
	}
	return t.closer.Close()
}

// begin takes the prompter for one question, or says why it may not ask.
func (t *TTYPrompter) begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !t.isTerm() {
		return fmt.Errorf("%w: input is not a terminal", ErrNoPrompt)
	}
	t.mu.Lock()
	return nil
}

// Secret shows prompt and reads an answer without echo.
func (t *TTYPrompter) Secret(ctx context.Context, prompt string) (string, error) {
	if err := t.begin(ctx); err != nil {
		return "", err
	}
	defer t.mu.Unlock()
	if _, err := io.WriteString(t.out, ttyEscape(prompt, true)); err != nil {
		return "", err
	}
	return t.readCtx(ctx, t.readSecret)
}

// KeyboardInteractive shows the server's name and instruction, then asks
// each question, echoing the answer only where the server allows it.
func (t *TTYPrompter) KeyboardInteractive(ctx context.Context, name, instruction string, questions []Challenge) ([]string, error) {
	if err := t.begin(ctx); err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	for _, s := range []string{name, instruction} {
		if s != "" {
			if _, err := io.WriteString(t.out, ttyEscape(strings.TrimRight(s, "\n"), true)+"\n"); err != nil {
				return nil, err
			}
		}
	}
	answers := make([]string, 0, len(questions))
	for _, q := range questions {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if _, err := io.WriteString(t.out, ttyEscape(q.Prompt, true)); err != nil {
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
func (t *TTYPrompter) ConfirmHostKey(ctx context.Context, q HostKeyQuestion) (bool, error) {
	if err := t.begin(ctx); err != nil {
		return false, err
	}
	defer t.mu.Unlock()
	msg := fmt.Sprintf("The authenticity of host '%s' can't be established.\n"+
		"%s key fingerprint is %s.\n"+
		"Are you sure you want to continue connecting (yes/no/[fingerprint])? ",
		ttyEscape(q.Host, false), ttyEscape(knownhosts.KeyTypeName(q.KeyType), false), ttyEscape(q.Fingerprint, false))
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
func (t *TTYPrompter) Warn(msg string) {
	t.warnMu.Lock()
	defer t.warnMu.Unlock()
	_, _ = io.WriteString(t.warn, ttyEscape(strings.TrimRight(msg, "\n"), true)+"\n")
}

// readCtx runs read until it returns or ctx ends. On Ctrl-C (which cancels
// ctx) it restores the terminal's state, so echo is never left off, and
// returns at once; the abandoned read ends the prompter, which then
// refuses every further question.
func (t *TTYPrompter) readCtx(ctx context.Context, read func() (string, error)) (string, error) {
	if t.abandoned {
		return "", ErrNoPrompt
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
func (t *TTYPrompter) readLine() (string, error) {
	line, err := t.in.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// readSecret reads one line with echo off. On a terminal file that is
// term.ReadPassword, followed by the newline the user's Enter did not
// echo; elsewhere (tests) it is a plain line.
func (t *TTYPrompter) readSecret() (string, error) {
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

// ttyEscape makes s safe to print on a terminal: control characters
// (C0, DEL, C1), Unicode format characters (bidi overrides, zero-width
// characters), line and paragraph separators and invalid UTF-8 are shown
// escaped as Go does in quoted strings (\x1b, \u202e). With keepNewlines,
// line feeds and tabs stay as they are.
func ttyEscape(s string, keepNewlines bool) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || ttyUnsafe(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keepNewlines && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case ttyUnsafe(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// ttyUnsafe reports whether r may change what a terminal shows beyond
// printing one character: controls, format characters (Cf, which holds
// the bidi controls) and the Unicode line and paragraph separators.
func ttyUnsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}
