package tui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
)

// answer is what an Asker call returned.
type answer struct {
	text string
	yes  bool
	err  error
}

// askInBackground runs ask in its own goroutine, as a session's reconnect
// does, and returns where its answer arrives.
func askInBackground(ask func() (string, bool, error)) <-chan answer {
	ch := make(chan answer, 1)
	go func() {
		text, yes, err := ask()
		ch <- answer{text, yes, err}
	}()
	return ch
}

// got waits for an answer.
func got(t *testing.T, ch <-chan answer) answer {
	t.Helper()
	select {
	case a := <-ch:
		return a
	case <-time.After(10 * time.Second):
		t.Fatal("the Asker did not return")
		return answer{}
	}
}

// questionModel starts a model with local panes (the right one "web1",
// reconnecting) and a BackgroundAsker.
func questionModel(t *testing.T, width, height int) (*Model, *runner, *BackgroundAsker) {
	t.Helper()
	bg := NewBackgroundAsker()
	t.Cleanup(bg.Close)
	w := newStopFS("web1", makeTree(t, file{name: "a.txt"}, file{name: "b.txt"}))
	m, r := startWatched(t, Options{Left: &rootedFS{label: "local", base: t.TempDir()}, Right: w, Questions: bg}, width, height)
	w.send(ConnState{Status: ConnReconnecting, Host: "web1", Attempt: 1, MaxAttempts: 6, At: fixedNow})
	r.waitFor("reconnecting", func() bool { return strings.Contains(statusText(m), "reconnecting to web1") })
	return m, r, bg
}

// waitQuestion waits until a background question with title is on screen.
func waitQuestion(r *runner, title string) {
	r.t.Helper()
	r.waitFor("the question "+title, func() bool {
		return r.m.questions.cur != nil && strings.Contains(screen(r.m), title)
	})
}

func secretFrom(bg *BackgroundAsker, host, prompt string) func() (string, bool, error) {
	return func() (string, bool, error) {
		s, err := bg.Reconnecting(host).AskSecret(context.Background(), prompt)
		return s, false, err
	}
}

func TestBackgroundSecretOverThePanes(t *testing.T) {
	t.Parallel()
	m, r, bg := questionModel(t, 100, 24)
	ch := askInBackground(secretFrom(bg, "web1", "deploy@10.0.0.5's password: "))
	waitQuestion(r, "Reconnecting to web1")
	out := screen(m)
	for _, want := range []string{"deploy@10.0.0.5's password:", "a.txt", "local:/", "enter ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
	// Esc belongs to the dialog: the status line does not offer it.
	if strings.Contains(statusText(m), "esc stops") {
		t.Errorf("status %q offers esc under a question", statusText(m))
	}
	r.typeText("hunter2")
	if strings.Contains(screen(m), "hunter2") || !strings.Contains(screen(m), "•••••••") {
		t.Errorf("secret not masked:\n%s", screen(m))
	}
	r.press("enter")
	if a := got(t, ch); a.err != nil || a.text != "hunter2" {
		t.Fatalf("AskSecret = %q, %v", a.text, a.err)
	}
	if m.questions.cur != nil || strings.Contains(screen(m), "Reconnecting to web1") {
		t.Errorf("dialog still open:\n%s", screen(m))
	}
	// The keys are the list's again.
	r.press("tab")
	if m.focus != rightSide {
		t.Error("the list did not get the key after the answer")
	}
}

func TestBackgroundQuestionEscCancels(t *testing.T) {
	t.Parallel()
	m, r, bg := questionModel(t, 100, 24)
	ch := askInBackground(secretFrom(bg, "web1", "Password: "))
	waitQuestion(r, "Reconnecting to web1")
	r.press("esc")
	if a := got(t, ch); !errors.Is(a.err, ErrCancelled) {
		t.Fatalf("AskSecret after esc: %v, want ErrCancelled", a.err)
	}
	w := m.panes[rightSide].FS().(*stopFS)
	if m.questions.cur != nil || w.stops.Load() != 0 {
		t.Errorf("after esc: question %v, %d stops (esc answers the dialog only)", m.questions.cur != nil, w.stops.Load())
	}

	ch = askInBackground(func() (string, bool, error) {
		yes, err := bg.Reconnecting("web1").AskYesNo(context.Background(), "Use the agent?")
		return "", yes, err
	})
	waitQuestion(r, "Use the agent?")
	r.press("esc")
	if a := got(t, ch); !errors.Is(a.err, ErrCancelled) {
		t.Fatalf("AskYesNo after esc: %v, want ErrCancelled", a.err)
	}
	ch = askInBackground(func() (string, bool, error) {
		yes, err := bg.Reconnecting("web1").AskYesNo(context.Background(), "Use the agent?")
		return "", yes, err
	})
	waitQuestion(r, "Use the agent?")
	r.press("n")
	if a := got(t, ch); a.err != nil || a.yes {
		t.Fatalf("AskYesNo after n: %v, %v", a.yes, a.err)
	}
}

// TestBackgroundQuestionOverADialog: a question opens over a dialog the
// user had open, takes the keys until answered, and leaves the dialog as
// it was.
func TestBackgroundQuestionOverADialog(t *testing.T) {
	t.Parallel()
	m, r, bg := questionModel(t, 100, 24)
	r.press("n") // mkdir
	r.typeText("new")
	mk, ok := m.stack.top().(*inputDialog)
	if !ok {
		t.Fatalf("overlay %T", m.stack.top())
	}
	ch := askInBackground(func() (string, bool, error) {
		s, err := bg.Reconnecting("web1").AskText(context.Background(), "Verification code: ", true)
		return s, false, err
	})
	waitQuestion(r, "Reconnecting to web1")
	if !strings.Contains(screen(m), "Verification code:") {
		t.Errorf("screen:\n%s", screen(m))
	}
	r.typeText("123456")
	if !strings.Contains(screen(m), "123456") {
		t.Error("an echoed answer is masked")
	}
	r.press("enter")
	if a := got(t, ch); a.err != nil || a.text != "123456" {
		t.Fatalf("AskText = %q, %v", a.text, a.err)
	}
	if m.stack.top() != mk || mk.Typed() != "new" {
		t.Fatalf("the mkdir dialog changed: overlay %T, value %q", m.stack.top(), mk.Typed())
	}
}

// TestBackgroundQuestionsQueue: questions from two hosts show one after
// the other, in order, each naming its host; a question whose Asker gave
// up meanwhile is skipped, and one on screen closes.
func TestBackgroundQuestionsQueue(t *testing.T) {
	t.Parallel()
	m, r, bg := questionModel(t, 100, 24)
	first := askInBackground(secretFrom(bg, "web1", "web1 password: "))
	waitQuestion(r, "Reconnecting to web1")
	gone, cancel := context.WithCancel(context.Background())
	skipped := askInBackground(func() (string, bool, error) {
		s, err := bg.Reconnecting("db").AskSecret(gone, "db password: ")
		return s, false, err
	})
	r.waitFor("db's question queued", func() bool { return len(m.questions.queued) == 1 })
	second := askInBackground(secretFrom(bg, "web2", "web2 password: "))
	r.waitFor("web2's question queued", func() bool { return len(m.questions.queued) == 2 })
	cancel()
	if a := got(t, skipped); !errors.Is(a.err, context.Canceled) {
		t.Fatalf("db's question: %v", a.err)
	}

	r.typeText("one")
	r.press("enter")
	if a := got(t, first); a.text != "one" || a.err != nil {
		t.Fatalf("web1: %q, %v", a.text, a.err)
	}
	waitQuestion(r, "Reconnecting to web2")
	if strings.Contains(screen(m), "db password") {
		t.Error("a question nobody waits for was shown")
	}

	// The Asker on screen gives up (its reconnect was stopped, say): the
	// dialog closes by itself.
	if m.questions.cur.req.from != "web2" {
		t.Fatalf("question from %q", m.questions.cur.req.from)
	}
	r.typeText("two")
	r.press("enter")
	if a := got(t, second); a.text != "two" {
		t.Fatalf("web2: %q, %v", a.text, a.err)
	}
	ctx, stop := context.WithCancel(context.Background())
	third := askInBackground(func() (string, bool, error) {
		s, err := bg.Reconnecting("web1").AskSecret(ctx, "again: ")
		return s, false, err
	})
	waitQuestion(r, "again:")
	stop()
	if a := got(t, third); !errors.Is(a.err, context.Canceled) {
		t.Fatalf("third: %v", a.err)
	}
	r.waitFor("the dialog to close", func() bool { return m.questions.cur == nil })
}

func TestBackgroundHostKeyQuestion(t *testing.T) {
	t.Parallel()
	const fp = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
	m, r, bg := questionModel(t, 100, 30)
	ch := askInBackground(func() (string, bool, error) {
		ok, err := bg.Reconnecting("web1").AskHostKey(context.Background(), "[10.0.0.5]:22", "ssh-ed25519", fp)
		return "", ok, err
	})
	waitQuestion(r, "Reconnecting to web1")
	for _, want := range []string{"authenticity of host [10.0.0.5]:22", "ssh-ed25519 key fingerprint is", fp} {
		if !strings.Contains(screen(m), want) {
			t.Errorf("dialog lacks %q:\n%s", want, screen(m))
		}
	}
	r.typeText("y")
	r.press("enter")
	if !strings.Contains(screen(m), "please type yes, no, or the fingerprint") {
		t.Fatalf("y was not refused:\n%s", screen(m))
	}
	r.press("ctrl+u")
	r.typeText(fp)
	r.press("enter")
	if a := got(t, ch); a.err != nil || !a.yes {
		t.Fatalf("AskHostKey = %v, %v", a.yes, a.err)
	}
}

func TestBackgroundWarningAndSanitising(t *testing.T) {
	t.Parallel()
	m, r, bg := questionModel(t, 120, 24)
	bg.Reconnecting("web1").Warn("Permission denied, please try again.")
	waitStatus(r, "web1: Permission denied, please try again.")

	ch := askInBackground(secretFrom(bg, "evil\x1b]0;title\a", "pass\x1b[2J\u202eword: "))
	r.waitFor("the question", func() bool { return m.questions.cur != nil })
	raw := m.View().Content
	for _, bad := range []string{"\x1b]0;", "\x1b[2J", "\a", "\u202e"} {
		if strings.Contains(raw, bad) {
			t.Errorf("view contains raw %q", bad)
		}
	}
	if out := screen(m); !strings.Contains(out, `Reconnecting to evil\x1b]0;title\x07`) || !strings.Contains(out, `pass\x1b[2J\u202eword:`) {
		t.Errorf("screen:\n%s", out)
	}
	r.press("esc")
	got(t, ch)
}

// TestBackgroundQuestionsEnd: quitting answers the question on screen and
// the queued ones; a closed BackgroundAsker refuses at once.
func TestBackgroundQuestionsEnd(t *testing.T) {
	t.Parallel()
	m, r, bg := questionModel(t, 100, 24)
	a := askInBackground(secretFrom(bg, "web1", "one: "))
	waitQuestion(r, "one:")
	b := askInBackground(secretFrom(bg, "web1", "two: "))
	r.waitFor("the second queued", func() bool { return len(m.questions.queued) == 1 })
	m.Update(keyMsg("ctrl+c"))
	for _, ch := range []<-chan answer{a, b} {
		if ans := got(t, ch); !errors.Is(ans.err, ErrCancelled) {
			t.Errorf("after quitting: %v", ans.err)
		}
	}
	bg.Close()
	if _, err := bg.Reconnecting("web1").AskSecret(context.Background(), "p"); !errors.Is(err, ErrCancelled) {
		t.Errorf("after Close: %v", err)
	}
	// A listener started after Close returns at once.
	if msg := listenQuestions(context.Background(), bg)(); msg != nil {
		t.Errorf("listener after Close returned %T", msg)
	}
}

func TestBackgroundQuestionIgnoresMouseAndTakesPaste(t *testing.T) {
	t.Parallel()
	m, r, bg := questionModel(t, 100, 24)
	ch := askInBackground(secretFrom(bg, "web1", "Password: "))
	waitQuestion(r, "Password:")
	r.send(tea.MouseClickMsg{Button: tea.MouseLeft, X: 70, Y: 2})
	if m.focus != leftSide {
		t.Error("a click under the question moved the focus")
	}
	r.send(tea.PasteMsg{Content: "pasted"})
	r.press("enter")
	if a := got(t, ch); a.text != "pasted" {
		t.Errorf("answer %q, want the pasted text", a.text)
	}
}

func TestGoldenQuestion(t *testing.T) {
	t.Parallel()
	left, right := goldenLeftTree(t), goldenRightTree(t)
	bg := NewBackgroundAsker()
	t.Cleanup(bg.Close)
	w := newStopFS("web1", right)
	m, r := startWatched(t, Options{Left: &rootedFS{label: "local", base: left, linkTime: mtimeOld}, Right: w, Questions: bg}, 80, 24)
	w.send(ConnState{Status: ConnReconnecting, Host: "web1", Attempt: 1, MaxAttempts: 6, At: fixedNow})
	ch := askInBackground(secretFrom(bg, "web1", "deploy@10.0.0.5's password: "))
	waitQuestion(r, "Reconnecting to web1")
	r.waitFor("the connection line", func() bool { return m.conns.line(80, m.keysToList()) != "" })
	r.typeText("abc")
	golden.RequireEqual(t, screen(m))
	r.press("esc")
	got(t, ch)
}
