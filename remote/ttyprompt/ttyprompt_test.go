package ttyprompt_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/prompt"
	"github.com/ferry-tui/ferry/remote/ttyprompt"
)

// ttyFor is a Prompter that reads input and writes questions to out
// and warnings to warn, as if on a terminal.
func ttyFor(input string, out, warn *bytes.Buffer) *ttyprompt.Prompter {
	return ttyprompt.New(ttyprompt.Config{
		In:         strings.NewReader(input),
		Out:        out,
		Warn:       warn,
		IsTerminal: func() bool { return true },
	})
}

var ttyQuestion = prompt.HostKeyQuestion{
	Host:        "[127.0.0.1]:2222",
	KeyType:     "ssh-ed25519",
	Fingerprint: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
}

const ttyAsk = "The authenticity of host '[127.0.0.1]:2222' can't be established.\n" +
	"ED25519 key fingerprint is SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU.\n" +
	"Are you sure you want to continue connecting (yes/no/[fingerprint])? "

const ttyAgain = "Please type 'yes', 'no' or the fingerprint: "

func TestTTYConfirmHostKey(t *testing.T) {
	cases := []struct {
		name, input string
		want        bool
		wantOut     string
	}{
		{"yes", "yes\n", true, ttyAsk},
		{"YES with blanks", "  YES  \n", true, ttyAsk},
		{"no", "no\n", false, ttyAsk},
		{"empty line", "\n", false, ttyAsk},
		{"end of input", "", false, ttyAsk},
		{"fingerprint", ttyQuestion.Fingerprint + "\n", true, ttyAsk},
		{"fingerprint without newline", ttyQuestion.Fingerprint, true, ttyAsk},
		{"wrong fingerprint then yes", "SHA256:AAAAC3NzaC1lZDI1NTE5AAAAIJ\nyes\n", true, ttyAsk + ttyAgain},
		{"fingerprint in lower case is not the fingerprint", strings.ToLower(ttyQuestion.Fingerprint) + "\nno\n", false, ttyAsk + ttyAgain},
		{"maybe, then garbage, then no", "maybe\ny\nno\n", false, ttyAsk + ttyAgain + ttyAgain},
		{"unanswered after a bad answer", "maybe\n", false, ttyAsk + ttyAgain},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, warn bytes.Buffer
			got, err := ttyFor(tc.input, &out, &warn).ConfirmHostKey(context.Background(), ttyQuestion)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("answer %q gave %v, want %v", tc.input, got, tc.want)
			}
			if out.String() != tc.wantOut {
				t.Errorf("terminal shows\n%q\nwant\n%q", out.String(), tc.wantOut)
			}
		})
	}
}

func TestTTYEscapesServerText(t *testing.T) {
	var out, warn bytes.Buffer
	p := ttyFor("alice\nsecret\n", &out, &warn)
	qs := []prompt.Challenge{
		{Prompt: "User\x1b[2J: ", Echo: true},
		{Prompt: "Pass\u202eword: ", Echo: false},
	}
	answers, err := p.KeyboardInteractive(context.Background(), "evil\rname", "line one\nline\x07two\xff", qs)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(answers, []string{"alice", "secret"}) {
		t.Errorf("answers = %q", answers)
	}
	// The same escapes as everywhere else in ferry (text.Sanitize).
	want := "evil\\x0dname\nline one\nline\\x07two\\xff\nUser\\x1b[2J: Pass\\u202eword: "
	if out.String() != want {
		t.Errorf("terminal shows\n%q\nwant\n%q", out.String(), want)
	}

	out.Reset()
	q := ttyQuestion
	q.Host = "web\x1b]0;pwned\x07\n1"
	if _, err := ttyFor("no\n", &out, &warn).ConfirmHostKey(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `'web\x1b]0;pwned\x07\x0a1'`) {
		t.Errorf("host not escaped:\n%q", out.String())
	}

	p.Warn("bad line in known_hosts: \x1b[31mred\x1b[0m\n")
	if got, want := warn.String(), "bad line in known_hosts: \\x1b[31mred\\x1b[0m\n"; got != want {
		t.Errorf("warning = %q, want %q", got, want)
	}
	for _, s := range []string{out.String(), warn.String()} {
		if strings.ContainsAny(s, "\x1b\x07\r\u202e") {
			t.Errorf("raw control or bidi character reached the terminal: %q", s)
		}
	}
}

func TestTTYSecret(t *testing.T) {
	var out, warn bytes.Buffer
	p := ttyFor("hunter2\r\n", &out, &warn)
	s, err := p.Secret(context.Background(), "Enter passphrase for key '/home/u/.ssh/id_ed25519': ")
	if err != nil {
		t.Fatal(err)
	}
	if s != "hunter2" {
		t.Errorf("secret = %q", s)
	}
	if out.String() != "Enter passphrase for key '/home/u/.ssh/id_ed25519': " {
		t.Errorf("terminal shows %q", out.String())
	}
	if _, err := p.Secret(context.Background(), "again: "); err == nil {
		t.Error("Secret at end of input returned no error")
	}
}

func TestTTYRefusesWithoutTerminal(t *testing.T) {
	var out bytes.Buffer
	p := ttyprompt.New(ttyprompt.Config{In: strings.NewReader("yes\n"), Out: &out})
	if _, err := p.Secret(context.Background(), "password: "); !errors.Is(err, prompt.ErrNoPrompt) {
		t.Errorf("Secret without a terminal: err = %v, want ErrNoPrompt", err)
	}
	if _, err := p.ConfirmHostKey(context.Background(), ttyQuestion); !errors.Is(err, prompt.ErrNoPrompt) {
		t.Errorf("ConfirmHostKey without a terminal: err = %v, want ErrNoPrompt", err)
	}
	if _, err := p.KeyboardInteractive(context.Background(), "", "", []prompt.Challenge{{Prompt: "x"}}); !errors.Is(err, prompt.ErrNoPrompt) {
		t.Errorf("KeyboardInteractive without a terminal: err = %v, want ErrNoPrompt", err)
	}
	if out.Len() != 0 {
		t.Errorf("questions written without a terminal: %q", out.String())
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out2, warn bytes.Buffer
	if _, err := ttyFor("yes\n", &out2, &warn).ConfirmHostKey(ctx, ttyQuestion); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ConfirmHostKey: err = %v", err)
	}
}

// TestTTYPrompterCancelReturnsAtOnce cancels the context while a question
// waits for input that never comes: the call returns ctx's error, and the
// prompter refuses further questions.
func TestTTYPrompterCancelReturnsAtOnce(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	var out strings.Builder
	p := ttyprompt.New(ttyprompt.Config{In: r, Out: &syncWriter{w: &out}, IsTerminal: func() bool { return true }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := p.Secret(ctx, "password: ")
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Secret did not return after its context was cancelled")
	}
	if _, err := p.Secret(context.Background(), "again: "); !errors.Is(err, prompt.ErrNoPrompt) {
		t.Fatalf("after an abandoned read: err = %v, want ErrNoPrompt", err)
	}
}

// syncWriter serialises writes from the prompter's goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
