package viewer

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/internal/tuitest"
)

// loaded returns a viewer of height lines showing data.
func loaded(t *testing.T, data string, height int) *Model {
	t.Helper()
	km := common.DefaultKeyMap()
	v := New(7, "local:/notes.txt", int64(len(data)), &km)
	v.SetSize(80, height)
	v.Load(LoadedMsg{ID: 7, Data: []byte(data)})
	return v
}

// press sends keys to v and returns the last result.
func press(v *Model, keys ...string) tea.Msg {
	var res tea.Msg
	for _, k := range keys {
		res = v.Update(tuitest.Key(k))
	}
	return res
}

func TestKeysScroll(t *testing.T) {
	var text strings.Builder
	text.WriteString("first\tline\n")
	for i := range 100 {
		text.WriteString("line " + strconv.Itoa(i) + " ünïcödé\n")
	}
	v := loaded(t, text.String(), 22) // 21 lines below the header
	if v.hex {
		t.Fatal("text shown as hex")
	}
	steps := []struct {
		keys      []string
		top, left int
	}{
		{[]string{"j"}, 1, 0},
		{[]string{"G"}, 101 - 21, 0},
		{[]string{"pgup", "k", "g"}, 0, 0},
		{[]string{"pgdown"}, 20, 0},
		{[]string{"space"}, 40, 0},
		{[]string{"right"}, 40, 8},
		{[]string{"l", "l", "h"}, 40, 16},
		{[]string{"left", "left", "left"}, 40, 0},
		{[]string{"up"}, 39, 0},
		{[]string{"end"}, 80, 0},
		{[]string{"home"}, 0, 0},
	}
	for _, s := range steps {
		if res := press(v, s.keys...); res != nil {
			t.Errorf("%v: result %#v, want none", s.keys, res)
		}
		if v.top != s.top || v.left != s.left {
			t.Errorf("%v: top %d left %d, want %d %d", s.keys, v.top, v.left, s.top, s.left)
		}
	}
	v.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if v.top != 3 {
		t.Errorf("wheel: top %d", v.top)
	}
	out := v.Screen(&common.Styles{}, 80, 22)
	if !strings.Contains(out, "line 2 ünïcödé") || strings.Contains(out, "line 1 ") {
		t.Errorf("screen after the wheel:\n%s", out)
	}
}

func TestCloseKeysReturnCloseMsg(t *testing.T) {
	for _, k := range []string{"q", "esc", "f3", "v", "f10"} {
		v := loaded(t, "a\n", 10)
		if res := press(v, k); res != (CloseMsg{ID: 7}) {
			t.Errorf("%s: result %#v, want CloseMsg{7}", k, res)
		}
	}
}

func TestBinaryAsHex(t *testing.T) {
	v := loaded(t, "ELF\x00\x01\x02binary\xff\xfe and more bytes here", 10)
	if !v.hex {
		t.Fatal("binary data shown as text")
	}
	out := v.Screen(&common.Styles{}, 100, 10)
	for _, want := range []string{
		"00000000  45 4c 46 00 01 02 62 69  6e 61 72 79 ff fe 20 61  |ELF...binary.. a|",
		"00000020  72 65                                             |re|",
		"  hex",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("hex dump lacks %q:\n%s", want, out)
		}
	}
}

func TestIsBinary(t *testing.T) {
	for _, tt := range []struct {
		data string
		want bool
	}{
		{"plain text\n", false},
		{"ünïcödé and 日本語\n", false},
		{"with\x00nul", true},
		{strings.Repeat("\xff\xfe", 20), true},
		{"mostly text with one \xff bad byte in a long enough line", false},
		{"\x01\x02\x03\x04\x05\x06", true},
		{"", false},
	} {
		if got := isBinary([]byte(tt.data)); got != tt.want {
			t.Errorf("isBinary(%q) = %v", tt.data, got)
		}
	}
}

func TestReadTakesOnlyTheFirstMiB(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "big.txt")
	big := bytes.Repeat([]byte("0123456789abcde\n"), (Limit/16)+100)
	if err := os.WriteFile(name, big, 0o644); err != nil {
		t.Fatal(err)
	}
	msg := Read(t.Context(), local.New(), name, 3)().(LoadedMsg)
	if msg.ID != 3 || msg.Err != nil || len(msg.Data) != Limit || !msg.Truncated {
		t.Fatalf("read id %d, %d bytes, truncated %v, err %v", msg.ID, len(msg.Data), msg.Truncated, msg.Err)
	}
	msg = Read(t.Context(), local.New(), filepath.Join(dir, "gone"), 4)().(LoadedMsg)
	if msg.ID != 4 || !errors.Is(msg.Err, fs.ErrNotExist) {
		t.Errorf("a missing file: id %d err %v", msg.ID, msg.Err)
	}
}
