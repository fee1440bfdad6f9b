package tui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/picker"
)

// testHosts is what the fake ssh config lists.
func testHosts() ([]HostEntry, error) {
	return []HostEntry{
		{Alias: "web1", HostName: "web1.example.com", User: "deploy"},
		{Alias: "db", HostName: "10.0.0.5", User: "postgres"},
		{Alias: "backup\x1b[31m", HostName: "nas.lan"},
	}, nil
}

// closingFS is a remote file system that counts how often it is closed.
type closingFS struct {
	*rootedFS
	closed *atomic.Int32
}

func (c closingFS) Close() error { c.closed.Add(1); return nil }

// pickerModel starts with no right file system, so the picker opens.
func pickerModel(t *testing.T, connect ConnectFunc) *Model {
	t.Helper()
	return start(t, Options{
		Left: local.New(), LeftDir: t.TempDir(), Local: local.New(),
		Hosts: testHosts, Connect: connect,
	}, 100, 24)
}

// picker returns the open host picker.
func openPicker(t *testing.T, m *Model) *picker.Model {
	t.Helper()
	pk, ok := m.stack.top().(*picker.Model)
	if !ok {
		t.Fatalf("overlay = %T, want the host picker; screen:\n%s", m.stack.top(), screen(m))
	}
	return pk
}

func TestPickerAtStartListsAndFilters(t *testing.T) {
	m := pickerModel(t, nil)
	pk := openPicker(t, m)
	if pk.Side() != rightSide || pk.Loading() {
		t.Fatalf("side %v loading %v", pk.Side(), pk.Loading())
	}
	if got := pk.Labels(); !slices.Equal(got, []string{"local", "web1", "db", `backup\x1b[31m`}) {
		t.Fatalf("items %q", got)
	}
	out := screen(m)
	for _, want := range []string{"Open a host in the right pane", "deploy@web1.example.com", "postgres@10.0.0.5", "this computer"} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(m.View().Content, "backup\x1b[31m") {
		t.Error("raw alias on screen")
	}
	typeText(t, m, "EXAMPLE")
	if got := pk.Labels(); !slices.Equal(got, []string{"web1", "EXAMPLE"}) {
		t.Errorf("host name filter: %q", got)
	}
	press(t, m, "ctrl+u")
	typeText(t, m, "wb")
	if got := pk.Labels(); !slices.Equal(got, []string{"web1", "wb"}) {
		t.Errorf("fuzzy filter: %q", got)
	}
	press(t, m, "ctrl+u")
	typeText(t, m, "db")
	if got := pk.Labels(); !slices.Equal(got, []string{"db"}) {
		t.Errorf("exact alias: %q (no typed entry expected)", got)
	}
	press(t, m, "ctrl+u")
	typeText(t, m, "loc")
	if got := pk.Labels(); !slices.Equal(got, []string{"local", "loc"}) {
		t.Errorf("local: %q", got)
	}
}

func TestPickerLocalEntry(t *testing.T) {
	m := pickerModel(t, nil)
	settle(t, m, press(t, m, "enter"))
	p := &m.panes[rightSide]
	if m.stack.top() != nil || p.FS() == nil || p.FS().Label() != "local" || !p.Loaded() || m.focus != rightSide {
		t.Fatalf("overlay %T, right pane %v loaded %v, focus %v", m.stack.top(), p.FS(), p.Loaded(), m.focus)
	}
}

func TestPickerKeyAndEscape(t *testing.T) {
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: t.TempDir(), RightDir: t.TempDir(), Local: local.New()}, 100, 24)
	press(t, m, "tab")
	settle(t, m, press(t, m, "o"))
	pk := openPicker(t, m)
	if pk.Side() != rightSide {
		t.Errorf("picker for %v, want the focused right pane", pk.Side())
	}
	press(t, m, "esc")
	if m.stack.top() != nil {
		t.Error("esc did not close the picker")
	}
}

func TestPickerWithoutConnectOrHosts(t *testing.T) {
	m := start(t, Options{Left: local.New(), LeftDir: t.TempDir()}, 100, 24)
	pk := openPicker(t, m)
	typeText(t, m, "web1")
	press(t, m, "enter")
	if pk.Err() != "connecting is not available" || m.stack.top() != overlay(pk) {
		t.Errorf("err %q overlay %T", pk.Err(), m.stack.top())
	}
}

func TestPickerHostsError(t *testing.T) {
	m := start(t, Options{Left: local.New(), LeftDir: t.TempDir(),
		Hosts: func() ([]HostEntry, error) { return nil, errors.New("bad ~/.ssh/config line 3") }}, 100, 24)
	if !strings.Contains(screen(m), "cannot read the hosts: bad ~/.ssh/config line 3") {
		t.Errorf("screen:\n%s", screen(m))
	}
}

func TestConnectSuccessAndFailure(t *testing.T) {
	root := makeTree(t, file{name: "remote file.txt"})
	var closed atomic.Int32
	calls := 0
	connect := func(ctx context.Context, alias string, ask Asker) (transfer.FS, error) {
		calls++
		if alias == "db" {
			return nil, errors.New("dial tcp 10.0.0.5:22: connection refused")
		}
		return closingFS{&rootedFS{label: alias, base: root}, &closed}, nil
	}
	m := pickerModel(t, connect)
	pk := openPicker(t, m)
	press(t, m, "down", "down") // db
	cmd := press(t, m, "enter")
	if _, ok := m.stack.top().(*connecting); !ok || !strings.Contains(screen(m), "connecting to db…") {
		t.Fatalf("no connecting view:\n%s", screen(m))
	}
	settle(t, m, cmd)
	if m.stack.top() != overlay(pk) || !strings.Contains(screen(m), "cannot connect to db: dial tcp 10.0.0.5:22: connection refused") {
		t.Fatalf("failure not shown in the picker:\n%s", screen(m))
	}
	press(t, m, "up") // web1
	settle(t, m, press(t, m, "enter"))
	p := &m.panes[rightSide]
	if m.stack.top() != nil || p.FS() == nil || p.FS().Label() != "web1" || !slices.Equal(names(p), []string{"remote file.txt"}) {
		t.Fatalf("after connecting: overlay %T, pane %q", m.stack.top(), names(p))
	}
	if !strings.Contains(screen(m), "web1:/") {
		t.Error("header does not name web1")
	}
	// Replacing it closes it; the local file system is never closed.
	settle(t, m, press(t, m, "o"))
	settle(t, m, press(t, m, "enter")) // local
	if closed.Load() != 1 || m.panes[rightSide].FS().Label() != "local" {
		t.Errorf("closed %d times; right pane %s", closed.Load(), m.panes[rightSide].FS().Label())
	}
	if calls != 2 {
		t.Errorf("Connect called %d times", calls)
	}
}

// askingConnect returns a ConnectFunc that runs question and connects when
// it returns nil. It records the error the question returned.
func askingConnect(root string, got chan<- error, question func(ctx context.Context, ask Asker) error) ConnectFunc {
	return func(ctx context.Context, alias string, ask Asker) (transfer.FS, error) {
		err := question(ctx, ask)
		got <- err
		if err != nil {
			return nil, err
		}
		return &rootedFS{label: alias, base: root}, nil
	}
}

func TestAskSecret(t *testing.T) {
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

func TestSameFS(t *testing.T) {
	a, b := &rootedFS{}, &rootedFS{}
	if !sameFS(a, a) || sameFS(a, b) || sameFS(a, nil) || !sameFS(nil, nil) {
		t.Error("pointer comparisons")
	}
	s := sliceFS{FS: a}
	if sameFS(s, s) || sameFS(s, a) {
		t.Error("values that cannot be compared are never the same")
	}
}
