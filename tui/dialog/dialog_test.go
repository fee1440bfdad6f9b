package dialog

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/internal/tuitest"
)

// keys returns the default key map.
func keys() *common.KeyMap {
	k := common.DefaultKeyMap()
	return &k
}

// press sends keys to c and returns the last result.
func press(c interface{ Update(tea.Msg) tea.Msg }, ks ...string) tea.Msg {
	var res tea.Msg
	for _, k := range ks {
		res = c.Update(tuitest.Key(k))
	}
	return res
}

func TestInputSubmitsRawPrefillUnlessEdited(t *testing.T) {
	d := NewInput(1, "Rename", "esc\x1b[7mape.txt", keys())
	d.SetSize(80, 24)
	if d.Typed() != `esc\x1b[7mape.txt` {
		t.Fatalf("prefilled with %q, want the sanitised name", d.Typed())
	}
	if res := press(d, "enter"); res != (SubmitMsg{ID: 1, Value: "esc\x1b[7mape.txt"}) {
		t.Errorf("unchanged: %#v, want the raw name", res)
	}
	d.SetErr("refused")
	if res := press(d, "ctrl+u", "n", "e", "w", "enter"); res != (SubmitMsg{ID: 1, Value: "new"}) || d.Err() != "" {
		t.Errorf("edited: %#v, err %q", res, d.Err())
	}
	d.Update(tea.PasteMsg{Content: "\x1b[2J!"})
	if d.Typed() != "new[2J!" {
		t.Errorf("paste: %q", d.Typed())
	}
	if res := press(d, "tab"); res != nil {
		t.Errorf("tab without completion: %#v", res)
	}
	if res := press(d, "esc"); res != (CancelMsg{ID: 1}) {
		t.Errorf("esc: %#v", res)
	}
}

func TestInputCompletionAndBox(t *testing.T) {
	d := NewInput(2, "Go to", "", keys())
	d.Completion()
	d.SetSize(80, 24)
	if res := press(d, "s", "r", "tab"); res != (CompleteMsg{ID: 2, Typed: "sr"}) {
		t.Errorf("tab: %#v", res)
	}
	d.SetTyped("srv/")
	d.SetHints([]string{"a/", "b/"})
	d.SetErr("no directory matches")
	box := ansi.Strip(strings.Join(d.Box(&common.Styles{}, 78), "\n"))
	for _, want := range []string{"Go to", "> srv/", "no directory matches", "a/  b/"} {
		if !strings.Contains(box, want) {
			t.Errorf("box lacks %q:\n%s", want, box)
		}
	}
	if len(d.Help().ShortHelp()) != 3 {
		t.Errorf("help %v, want submit, complete, cancel", d.Help().ShortHelp())
	}
	d.Mask()
	if box := ansi.Strip(strings.Join(d.Box(&common.Styles{}, 78), "\n")); strings.Contains(box, "srv") {
		t.Errorf("masked input shows its text:\n%s", box)
	}
}

func TestConfirmAnswers(t *testing.T) {
	for _, tt := range []struct {
		key         string
		cancellable bool
		want        tea.Msg
	}{
		{"y", false, ConfirmedMsg{ID: 3, Yes: true}},
		{"Y", false, ConfirmedMsg{ID: 3, Yes: true}},
		{"enter", false, ConfirmedMsg{ID: 3, Yes: true}},
		{"n", false, ConfirmedMsg{ID: 3}},
		{"N", false, ConfirmedMsg{ID: 3}},
		{"esc", false, ConfirmedMsg{ID: 3}},
		{"esc", true, CancelMsg{ID: 3}},
		{"n", true, ConfirmedMsg{ID: 3}},
		{"x", false, nil},
	} {
		d := NewConfirm(3, "Quit ferry?", []string{"2 transfers"}, keys())
		if tt.cancellable {
			d.Cancellable()
		}
		if res := press(d, tt.key); res != tt.want {
			t.Errorf("%s (cancellable %v): %#v, want %#v", tt.key, tt.cancellable, res, tt.want)
		}
	}
	d := NewConfirm(4, "Delete tree?", []string{"counting…"}, keys())
	d.SetBusy(true)
	if res := press(d, "y"); res != nil {
		t.Errorf("yes while busy: %#v", res)
	}
	if box := ansi.Strip(strings.Join(d.Box(&common.Styles{}, 78), "\n")); !strings.Contains(box, "counting… esc: cancel") {
		t.Errorf("busy box:\n%s", box)
	}
	d.SetBusy(false)
	if res := press(d, "y"); res != (ConfirmedMsg{ID: 4, Yes: true}) {
		t.Errorf("yes: %#v", res)
	}
}

func TestProgressStops(t *testing.T) {
	var done atomic.Int64
	d := NewProgress(5, "Deleting from local:/", 4, &done, keys())
	done.Store(2)
	if box := ansi.Strip(strings.Join(d.Box(&common.Styles{}, 78), "\n")); !strings.Contains(box, "removed 2 of 4") {
		t.Errorf("box:\n%s", box)
	}
	if res := press(d, "q"); res != nil {
		t.Errorf("q: %#v", res)
	}
	unknown := NewProgress(6, "Changing", 0, &done, keys())
	unknown.SetVerb("changed")
	if box := ansi.Strip(strings.Join(unknown.Box(&common.Styles{}, 78), "\n")); !strings.Contains(box, "changed 2 ") || strings.Contains(box, " of ") {
		t.Errorf("no total:\n%s", box)
	}
	if res := press(d, "esc"); res != (StopMsg{ID: 5}) {
		t.Errorf("esc: %#v", res)
	}
}

func TestConflictWaitsThenAnswers(t *testing.T) {
	d := NewConflict(6, time.UTC, keys())
	d.Show(transfer.Conflict{Src: "/l/a.txt", Dst: "/r/a.txt", SrcSize: 2048, DstSize: 3,
		SrcTime: time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)}, "local", "web1", 2)
	if res := press(d, "o"); res != nil || d.IsReady() {
		t.Fatalf("answered before the grace period: %#v", res)
	}
	d.Update(ReadyMsg{ID: 99})
	if d.IsReady() {
		t.Fatal("another dialog's ReadyMsg made it ready")
	}
	d.Update(ReadyMsg{ID: 6})
	box := ansi.Strip(strings.Join(d.Box(&common.Styles{}, 78), "\n"))
	for _, want := range []string{"a.txt already exists", "local:/l/a.txt", "web1:/r/a.txt", "2.0K (2048 bytes), 2025-03-01 09:30:00  (newer)", "2 more conflicts waiting", "[ ] a: for all"} {
		if !strings.Contains(box, want) {
			t.Errorf("box lacks %q:\n%s", want, box)
		}
	}
	steps := []struct {
		keys []string
		want tea.Msg
	}{
		{[]string{"o"}, ConflictAnsweredMsg{ID: 6, Policy: transfer.Overwrite}},
		{[]string{"esc"}, ConflictAnsweredMsg{ID: 6, Policy: transfer.Skip}},
		{[]string{"a", "s"}, ConflictAnsweredMsg{ID: 6, Policy: transfer.Skip, ForAll: true}},
		{[]string{"s"}, ConflictAnsweredMsg{ID: 6, Policy: transfer.Skip}}, // for all was reset
		{[]string{"a", "a", "u"}, ConflictAnsweredMsg{ID: 6, Policy: transfer.Newer}},
		{[]string{"O"}, ConflictAnsweredMsg{ID: 6, Policy: transfer.Overwrite, ForAll: true}},
		{[]string{"b"}, ConflictAnsweredMsg{ID: 6, Policy: transfer.Rename}},
		{[]string{"R"}, ConflictAnsweredMsg{ID: 6, Policy: transfer.Resume, ForAll: true}},
		{[]string{"x"}, nil},
	}
	for _, s := range steps {
		if res := press(d, s.keys...); res != s.want {
			t.Errorf("%v: %#v, want %#v", s.keys, res, s.want)
		}
	}
}

func TestBaseName(t *testing.T) {
	for in, want := range map[string]string{"/a/b.txt": "b.txt", `C:\x\y`: "y", "/a/dir/": "dir", "/": "/", "plain": "plain"} {
		if got := BaseName(in); got != want {
			t.Errorf("BaseName(%q) = %q, want %q", in, got, want)
		}
	}
}
