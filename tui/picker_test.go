package tui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

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
	t.Parallel()
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
	t.Parallel()
	m := pickerModel(t, nil)
	settle(t, m, press(t, m, "enter"))
	p := &m.panes[rightSide]
	if m.stack.top() != nil || p.FS() == nil || p.FS().Label() != "local" || !p.Loaded() || m.focus != rightSide {
		t.Fatalf("overlay %T, right pane %v loaded %v, focus %v", m.stack.top(), p.FS(), p.Loaded(), m.focus)
	}
}

func TestPickerKeyAndEscape(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
	m := start(t, Options{Left: local.New(), LeftDir: t.TempDir()}, 100, 24)
	pk := openPicker(t, m)
	typeText(t, m, "web1")
	press(t, m, "enter")
	if pk.Err() != "connecting is not available" || m.stack.top() != overlay(pk) {
		t.Errorf("err %q overlay %T", pk.Err(), m.stack.top())
	}
}

func TestPickerHostsError(t *testing.T) {
	t.Parallel()
	m := start(t, Options{Left: local.New(), LeftDir: t.TempDir(),
		Hosts: func() ([]HostEntry, error) { return nil, errors.New("bad ~/.ssh/config line 3") }}, 100, 24)
	if !strings.Contains(screen(m), "cannot read the hosts: bad ~/.ssh/config line 3") {
		t.Errorf("screen:\n%s", screen(m))
	}
}

func TestConnectSuccessAndFailure(t *testing.T) {
	t.Parallel()
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
	typeText(t, m, "local") // web1, opened lately, comes first now
	settle(t, m, press(t, m, "enter"))
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

func TestSameFS(t *testing.T) {
	t.Parallel()
	a, b := &rootedFS{}, &rootedFS{}
	if !sameFS(a, a) || sameFS(a, b) || sameFS(a, nil) || !sameFS(nil, nil) {
		t.Error("pointer comparisons")
	}
	s := sliceFS{FS: a}
	if sameFS(s, s) || sameFS(s, a) {
		t.Error("values that cannot be compared are never the same")
	}
}
