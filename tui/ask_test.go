package tui

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/picker"
)

func TestAskSecret(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	got := make(chan error, 1)
	var secret string
	m := pickerModel(t, askingConnect(root, got, func(ctx context.Context, ask Asker) error {
		s, err := ask.AskSecret(ctx, "deploy@web1's password: ")
		secret = s
		return err
	}))
	r := newRunner(t, m)
	r.press("down", "enter") // web1
	r.waitFor("the password dialog", func() bool {
		d, ok := m.stack.top().(*inputDialog)
		return ok && d.ask != nil
	})
	out := screen(m)
	if !strings.Contains(out, "deploy@web1's password:") || !strings.Contains(out, "connecting to web1") {
		t.Errorf("dialog over the connecting view:\n%s", out)
	}
	r.typeText("hunter2")
	if strings.Contains(screen(m), "hunter2") || !strings.Contains(screen(m), "•••••••") {
		t.Errorf("secret not masked:\n%s", screen(m))
	}
	r.press("enter")
	r.waitFor("the connection", func() bool { return m.stack.top() == nil && m.panes[rightSide].Loaded() })
	if err := <-got; err != nil || secret != "hunter2" {
		t.Errorf("AskSecret = %q, %v", secret, err)
	}
}

func TestAskHostKey(t *testing.T) {
	t.Parallel()
	const fp = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
	for _, tt := range []struct {
		name    string
		answers []string // typed, each followed by enter
		want    bool
	}{
		{"yes", []string{"yes"}, true},
		{"YES", []string{"YES"}, true},
		{"no", []string{"no"}, false},
		{"fingerprint", []string{fp}, true},
		{"wrong fingerprint then no", []string{"SHA256:nope", "no"}, false},
		{"y is not enough", []string{"y", "yes"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := make(chan error, 1)
			var ok bool
			m := pickerModel(t, askingConnect(t.TempDir(), got, func(ctx context.Context, ask Asker) error {
				var err error
				ok, err = ask.AskHostKey(ctx, "web1.example.com", "ssh-ed25519", fp)
				if err == nil && !ok {
					err = errors.New("host key not accepted")
				}
				return err
			}))
			r := newRunner(t, m)
			r.press("down", "enter")
			r.waitFor("the host key dialog", func() bool { _, ok := m.stack.top().(*inputDialog); return ok })
			for _, want := range []string{"authenticity of host web1.example.com", "ssh-ed25519 key fingerprint is", fp, "yes, no, or paste the fingerprint"} {
				if !strings.Contains(screen(m), want) {
					t.Errorf("dialog lacks %q:\n%s", want, screen(m))
				}
			}
			for i, a := range tt.answers {
				r.typeText(a)
				r.press("enter")
				if i < len(tt.answers)-1 {
					d, isDialog := m.stack.top().(*inputDialog)
					if !isDialog || !strings.Contains(d.Err(), "yes, no, or the fingerprint") {
						t.Fatalf("%q was not refused", a)
					}
					r.press("ctrl+u")
				}
			}
			err := <-got
			if ok != tt.want || (err == nil) != tt.want {
				t.Errorf("answer %v, %v; want %v", ok, err, tt.want)
			}
			if tt.want {
				r.waitFor("the connection", func() bool { return m.panes[rightSide].Loaded() })
			} else {
				r.waitFor("the picker", func() bool { _, ok := m.stack.top().(*picker.Model); return ok })
				if !strings.Contains(screen(m), "host key not accepted") {
					t.Errorf("reason not shown:\n%s", screen(m))
				}
			}
		})
	}
}

func TestAskYesNoAndText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		key  string
		want bool
	}{{"y", true}, {"enter", true}, {"n", false}} {
		t.Run(tt.key, func(t *testing.T) {
			got := make(chan error, 1)
			var yes bool
			var code string
			m := pickerModel(t, askingConnect(t.TempDir(), got, func(ctx context.Context, ask Asker) error {
				var err error
				if yes, err = ask.AskYesNo(ctx, "Use the agent?\nIt holds 2 keys"); err != nil {
					return err
				}
				code, err = ask.AskText(ctx, "Verification code: ", true)
				return err
			}))
			r := newRunner(t, m)
			r.press("down", "enter")
			r.waitFor("the question", func() bool { _, ok := m.stack.top().(*confirmDialog); return ok })
			if !strings.Contains(screen(m), "Use the agent?") || !strings.Contains(screen(m), "It holds 2 keys") {
				t.Errorf("question:\n%s", screen(m))
			}
			r.press(tt.key)
			r.waitFor("the text question", func() bool { _, ok := m.stack.top().(*inputDialog); return ok })
			r.typeText("123456")
			if !strings.Contains(screen(m), "123456") {
				t.Error("an echoed answer is masked")
			}
			r.press("enter")
			if err := <-got; err != nil || yes != tt.want || code != "123456" {
				t.Errorf("yes %v code %q err %v", yes, code, err)
			}
		})
	}
}

func TestAskCancel(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		ask  func(ctx context.Context, ask Asker) error
	}{
		{"secret", func(ctx context.Context, ask Asker) error { _, err := ask.AskSecret(ctx, "Passphrase: "); return err }},
		{"yes/no", func(ctx context.Context, ask Asker) error { _, err := ask.AskYesNo(ctx, "Sure?"); return err }},
		{"host key", func(ctx context.Context, ask Asker) error {
			_, err := ask.AskHostKey(ctx, "h", "ssh-rsa", "SHA256:x")
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := make(chan error, 1)
			m := pickerModel(t, askingConnect(t.TempDir(), got, tt.ask))
			r := newRunner(t, m)
			r.press("down", "enter")
			r.waitFor("the question", func() bool {
				_, in := m.stack.top().(*inputDialog)
				_, conf := m.stack.top().(*confirmDialog)
				return in || conf
			})
			r.press("esc")
			if err := <-got; !errors.Is(err, ErrCancelled) && !errors.Is(err, context.Canceled) {
				t.Errorf("question returned %v, want a cancellation", err)
			}
			r.waitFor("the picker", func() bool { _, ok := m.stack.top().(*picker.Model); return ok })
			if !strings.Contains(screen(m), "connection to web1 cancelled") {
				t.Errorf("screen:\n%s", screen(m))
			}
			if m.panes[rightSide].FS() != nil {
				t.Error("a file system was installed")
			}
		})
	}
}

func TestConnectingEscapeCancelsContext(t *testing.T) {
	t.Parallel()
	ctxErr := make(chan error, 1)
	m := pickerModel(t, func(ctx context.Context, alias string, ask Asker) (transfer.FS, error) {
		ask.Warn("skipped known_hosts line 7\x1b[2J")
		<-ctx.Done()
		ctxErr <- ctx.Err()
		return nil, ctx.Err()
	})
	r := newRunner(t, m)
	r.press("down", "enter")
	r.waitFor("the warning", func() bool { return strings.Contains(screen(m), `skipped known_hosts line 7\x1b[2J`) })
	r.press("esc")
	if err := <-ctxErr; !errors.Is(err, context.Canceled) {
		t.Errorf("Connect's context: %v", err)
	}
	if _, ok := m.stack.top().(*picker.Model); !ok {
		t.Fatalf("overlay %T", m.stack.top())
	}
}

func TestAbandonedConnectionIsClosed(t *testing.T) {
	t.Parallel()
	var closed atomic.Int32
	m := pickerModel(t, nil)
	m.stack.items = nil // the attempt, id 99, was abandoned with its picker
	settle(t, m, func() tea.Msg {
		return connectDoneMsg{id: 99, fs: closingFS{&rootedFS{}, &closed}}
	})
	if closed.Load() != 1 {
		t.Errorf("a late connection was not closed")
	}
}

func TestAskerUnblocksWhenTheAttemptEnds(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	a := newChanAsker(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := a.AskSecret(context.Background(), "p")
		done <- err
	}()
	<-a.reqs // taken, never answered
	cancel()
	if err := <-done; !errors.Is(err, ErrCancelled) {
		t.Errorf("err = %v", err)
	}
	qctx, qcancel := context.WithCancel(context.Background())
	qcancel()
	if _, err := newChanAsker(context.Background()).AskYesNo(qctx, "q"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled question: %v", err)
	}
	full := newChanAsker(context.Background())
	for range 20 {
		full.Warn("never blocks")
	}
}

// sliceFS is a file system type that == cannot compare.
type sliceFS struct {
	transfer.FS
	_ []int
}
