package tui

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/viewer"
)

func TestViewText(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"f3", "v"} {
		t.Run(k, func(t *testing.T) {
			var text strings.Builder
			text.WriteString("first\tline \x1b]0;title\a\r\n")
			for i := range 100 {
				text.WriteString("line " + strconv.Itoa(i) + " ünïcödé\n")
			}
			root := makeTree(t, file{name: "notes.txt", content: text.String()})
			m := localPair(t, root, root, 80, 24)
			settle(t, m, press(t, m, k))
			if _, ok := m.stack.top().(*viewer.Model); !ok {
				t.Fatalf("overlay %T", m.stack.top())
			}
			out := screen(m)
			if !strings.Contains(out, `first   line \x1b]0;title\x07`) || !strings.Contains(out, "  text") {
				t.Errorf("first line not shown escaped, as text:\n%s", out)
			}
			if strings.Contains(m.View().Content, "\x1b]0;") || strings.Contains(m.View().Content, "\a") {
				t.Error("raw control characters reached the screen")
			}
			if !strings.Contains(out, "line 0 ünïcödé") || strings.Contains(out, "line 30 ") {
				t.Errorf("wrong lines shown:\n%s", out)
			}
			// The viewer's own tests check every scrolling key; here the
			// keys reach it and the body height is what it scrolls by.
			press(t, m, "G")
			if out := screen(m); !strings.Contains(out, "line 99 ") || strings.Contains(out, "line 78 ") || !strings.Contains(out, "line 79 ") {
				t.Errorf("G did not show the last 21 lines:\n%s", out)
			}
			press(t, m, "q")
			if m.stack.top() != nil {
				t.Error("q did not close the viewer")
			}
			for _, c := range []string{"esc", "f3", "v", "f10"} {
				settle(t, m, press(t, m, k))
				press(t, m, c)
				if m.stack.top() != nil {
					t.Errorf("%s did not close the viewer", c)
				}
			}
		})
	}
}

func TestViewBinaryAsHex(t *testing.T) {
	t.Parallel()
	data := []byte("ELF\x00\x01\x02binary\xff\xfe and more bytes here")
	root := makeTree(t, file{name: "prog.bin", content: string(data)})
	m := localPair(t, root, root, 100, 24)
	settle(t, m, press(t, m, "v"))
	if _, ok := m.stack.top().(*viewer.Model); !ok {
		t.Fatalf("overlay %T", m.stack.top())
	}
	out := screen(m)
	for _, want := range []string{
		"00000000  45 4c 46 00 01 02 62 69  6e 61 72 79 ff fe 20 61  |ELF...binary.. a|",
		"00000010  6e 64 20 6d 6f 72 65 20  62 79 74 65 73 20 68 65  |nd more bytes he|",
		"00000020  72 65                                             |re|",
		"hex",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("hex dump lacks %q:\n%s", want, out)
		}
	}
}

func TestViewReadsOnlyTheFirstMiB(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("0123456789abcde\n"), (viewer.Limit/16)+100)
	root := makeTree(t, file{name: "big.txt", content: string(big)})
	m := localPair(t, root, root, 100, 24)
	settle(t, m, press(t, m, "v"))
	if !strings.Contains(screen(m), "first 1.0M shown") {
		t.Errorf("the header does not say the file was cut:\n%s", screen(m))
	}
}

func TestViewErrors(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "gone.txt", content: "x"}, file{name: "dir/"})
	m := localPair(t, root, root, 100, 24)
	press(t, m, "v")
	if m.stack.top() != nil || !strings.Contains(m.status.text, "choose a file") {
		t.Errorf("viewing a directory: %T %q", m.stack.top(), m.status.text)
	}
	press(t, m, "j")
	if err := os.Remove(filepath.Join(root, "gone.txt")); err != nil {
		t.Fatal(err)
	}
	settle(t, m, press(t, m, "v"))
	if m.stack.top() != nil || !m.status.isErr || !strings.Contains(m.status.text, "gone.txt") {
		t.Errorf("viewing a missing file: %T %q", m.stack.top(), m.status.text)
	}
}

func TestEdit(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "a.txt", content: "x"}, file{name: "dir/"})
	m := localPair(t, root, root, 100, 24)
	press(t, m, "j", "e")
	if !strings.Contains(m.status.text, "editing is not available") {
		t.Errorf("status %q without an editor", m.status.text)
	}

	var gotPath string
	var gotFS transfer.FS
	m = start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root,
		Edit: func(fsys transfer.FS, path string) tea.Cmd {
			gotFS, gotPath = fsys, path
			return func() tea.Msg {
				if err := os.WriteFile(path, []byte("edited"), 0o644); err != nil {
					return EditDoneMsg{Err: err}
				}
				return EditDoneMsg{Message: "uploaded \x1b[31m"}
			}
		}}, 100, 24)
	press(t, m, "f4") // on dir: refused
	if gotPath != "" || !strings.Contains(m.status.text, "choose a file") {
		t.Errorf("editing a directory: %q %q", gotPath, m.status.text)
	}
	for _, k := range []string{"e", "f4"} {
		settle(t, m, press(t, m, "G", k))
		if gotPath != filepath.Join(root, "a.txt") || gotFS != m.panes[leftSide].FS() {
			t.Errorf("%s: Edit got %q", k, gotPath)
		}
		if m.status.text != `uploaded \x1b[31m` {
			t.Errorf("%s: status %q", k, m.status.text)
		}
	}
	m.Update(EditDoneMsg{Err: errors.New("upload a.txt: disk full")})
	if !m.status.isErr || m.status.text != "upload a.txt: disk full" {
		t.Errorf("status %q", m.status.text)
	}
}

// TestEditQuestionAsksThenRunsTheAnswer checks EditDoneMsg.Question: a
// dialog opens, nothing runs until it is answered, and each answer runs
// its own Cmd.
func TestEditQuestionAsksThenRunsTheAnswer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		key  string
		want string
	}{{"y", "yes"}, {"n", "no"}, {"esc", "no"}} {
		m := New(Options{})
		m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		yes := func() tea.Msg { return EditDoneMsg{Message: "yes"} }
		no := func() tea.Msg { return EditDoneMsg{Message: "no"} }
		cmd := m.ops.handleEditDone(EditDoneMsg{Question: "f changed\nUpload \x1b[2J anyway?", OnYes: yes, OnNo: no})
		if cmd != nil {
			t.Fatal("the question ran something before it was answered")
		}
		view := m.View().Content
		if !strings.Contains(view, "f changed") || strings.ContainsRune(view, 0x1b) && strings.Contains(view, "\x1b[2J") {
			t.Fatalf("dialog not shown, or unsanitised:\n%s", view)
		}
		_, cmd = m.Update(keyMsg(tc.key))
		if cmd == nil {
			t.Fatalf("%s: no Cmd ran", tc.key)
		}
		if msg, ok := cmd().(EditDoneMsg); !ok || msg.Message != tc.want {
			t.Fatalf("%s: ran %#v, want the %q answer", tc.key, msg, tc.want)
		}
	}
}
