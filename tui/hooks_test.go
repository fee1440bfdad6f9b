package tui

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

func TestViewText(t *testing.T) {
	for _, k := range []string{"f3", "v"} {
		t.Run(k, func(t *testing.T) {
			var text strings.Builder
			text.WriteString("first\tline \x1b]0;title\a\r\n")
			for i := range 100 {
				text.WriteString("line " + itoa(i) + " ünïcödé\n")
			}
			root := makeTree(t, file{name: "notes.txt", content: text.String()})
			m := localPair(t, root, root, 80, 24)
			settle(t, m, press(t, m, k))
			v, ok := m.overlay.(*viewer)
			if !ok || v.hex {
				t.Fatalf("overlay %T, hex %v", m.overlay, ok && v.hex)
			}
			out := screen(m)
			if !strings.Contains(out, `first   line \x1b]0;title\x07`) {
				t.Errorf("first line not shown escaped:\n%s", out)
			}
			if strings.Contains(m.View().Content, "\x1b]0;") || strings.Contains(m.View().Content, "\a") {
				t.Error("raw control characters reached the screen")
			}
			if !strings.Contains(out, "line 0 ünïcödé") || strings.Contains(out, "line 30 ") {
				t.Errorf("wrong lines shown:\n%s", out)
			}
			press(t, m, "j")
			if v.top != 1 {
				t.Errorf("j: top %d", v.top)
			}
			press(t, m, "G")
			if v.top != 101-21 || !strings.Contains(screen(m), "line 99 ") {
				t.Errorf("G: top %d", v.top)
			}
			press(t, m, "pgup", "k", "g")
			if v.top != 0 {
				t.Errorf("g: top %d", v.top)
			}
			press(t, m, "pgdown")
			if v.top != 20 {
				t.Errorf("pgdown: top %d", v.top)
			}
			press(t, m, "right")
			if v.left != 8 || !strings.Contains(screen(m), "ünïcödé\n") && !strings.Contains(screen(m), "ünïcödé ") {
				t.Errorf("right: left %d", v.left)
			}
			press(t, m, "l", "l", "h")
			if v.left != 16 {
				t.Errorf("l l h: left %d", v.left)
			}
			press(t, m, "left", "left", "left")
			if v.left != 0 {
				t.Errorf("left: left %d", v.left)
			}
			press(t, m, "q")
			if m.overlay != nil {
				t.Error("q did not close the viewer")
			}
			for _, c := range []string{"esc", "f3", "v", "f10"} {
				settle(t, m, press(t, m, k))
				press(t, m, c)
				if m.overlay != nil {
					t.Errorf("%s did not close the viewer", c)
				}
			}
		})
	}
}

func TestViewBinaryAsHex(t *testing.T) {
	data := []byte("ELF\x00\x01\x02binary\xff\xfe and more bytes here")
	root := makeTree(t, file{name: "prog.bin", content: string(data)})
	m := localPair(t, root, root, 100, 24)
	settle(t, m, press(t, m, "v"))
	v := m.overlay.(*viewer)
	if !v.hex {
		t.Fatal("binary data shown as text")
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

func TestViewReadsOnlyTheFirstMiB(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcde\n"), (viewLimit/16)+100)
	root := makeTree(t, file{name: "big.txt", content: string(big)})
	m := localPair(t, root, root, 100, 24)
	settle(t, m, press(t, m, "v"))
	v := m.overlay.(*viewer)
	if len(v.data) != viewLimit || !v.truncated || !strings.Contains(screen(m), "first 1.0M shown") {
		t.Errorf("read %d bytes, truncated %v", len(v.data), v.truncated)
	}
}

func TestViewErrors(t *testing.T) {
	root := makeTree(t, file{name: "gone.txt", content: "x"}, file{name: "dir/"})
	m := localPair(t, root, root, 100, 24)
	press(t, m, "v")
	if m.overlay != nil || !strings.Contains(m.status.text, "choose a file") {
		t.Errorf("viewing a directory: %T %q", m.overlay, m.status.text)
	}
	press(t, m, "j")
	if err := os.Remove(filepath.Join(root, "gone.txt")); err != nil {
		t.Fatal(err)
	}
	settle(t, m, press(t, m, "v"))
	if m.overlay != nil || !m.status.isErr || !strings.Contains(m.status.text, "gone.txt") {
		t.Errorf("viewing a missing file: %T %q", m.overlay, m.status.text)
	}
}

func TestEdit(t *testing.T) {
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
		if gotPath != filepath.Join(root, "a.txt") || gotFS != m.panes[leftSide].fs {
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

func TestCopyWithoutEngine(t *testing.T) {
	root := opsTree(t)
	m := localPair(t, root, root, 100, 24)
	press(t, m, "c")
	if m.overlay != nil || m.status.text != "copying arrives with the transfer engine" {
		t.Errorf("c: overlay %T status %q", m.overlay, m.status.text)
	}
	press(t, m, "f6")
	if m.overlay != nil || m.status.text != "moving arrives with the transfer engine" {
		t.Errorf("f6: overlay %T status %q", m.overlay, m.status.text)
	}
}

func TestCopyAndMove(t *testing.T) {
	for _, tt := range []struct {
		key  string
		move bool
	}{{"f5", false}, {"c", false}, {"f6", true}, {"m", true}} {
		t.Run(tt.key, func(t *testing.T) {
			left, right := opsTree(t), makeTree(t, file{name: "sub/"})
			var reqs []CopyRequest
			lfs, rfs := &rootedFS{label: "local", base: left}, &rootedFS{label: "demo", base: right}
			m := start(t, Options{Left: lfs, Right: rfs, Copy: func(r CopyRequest) tea.Cmd {
				reqs = append(reqs, r)
				return func() tea.Msg {
					// Pretend to copy: make the names appear on the right.
					for _, n := range r.Names {
						if err := os.WriteFile(filepath.Join(right, filepath.FromSlash(r.DstDir), n+".copied"), nil, 0o644); err != nil {
							return CopyDoneMsg{Err: err}
						}
					}
					return CopyDoneMsg{}
				}
			}}, 100, 24)
			p := &m.panes[leftSide]
			p.cursor = p.rowOf("name with spaces.txt")
			press(t, m, "space", "space", tt.key)
			d := inputOpen(t, m, inputCopy)
			verb := "Copy"
			if tt.move {
				verb = "Move"
			}
			if !strings.Contains(screen(m), verb+" 2 files to demo:/?") || d.input.Value() != "/" {
				t.Fatalf("dialog:\n%s", screen(m))
			}
			press(t, m, "esc")
			if m.overlay != nil || len(reqs) != 0 {
				t.Fatal("esc did not cancel")
			}
			press(t, m, tt.key)
			typeText(t, m, "sub")
			settle(t, m, press(t, m, "enter"))
			want := CopyRequest{Move: tt.move, SrcFS: lfs, DstFS: rfs, SrcDir: "/",
				Names: []string{"name with spaces.txt", "ünïcödé.txt"}, DstDir: "/sub"}
			if len(reqs) != 1 || !equalRequest(reqs[0], want) {
				t.Fatalf("requests %+v, want %+v", reqs, want)
			}
			if p.nSel != 0 {
				t.Error("selection kept after handing the copy over")
			}
			// Both panes were listed again.
			settle(t, m, press(t, m, "tab"))
			settle(t, m, press(t, m, "g", "enter")) // sub
			if got := names(&m.panes[rightSide]); !slices.Equal(got, []string{"name with spaces.txt.copied", "ünïcödé.txt.copied"}) {
				t.Errorf("right pane: %q", got)
			}
		})
	}
}

func equalRequest(a, b CopyRequest) bool {
	return a.Move == b.Move && a.SrcFS == b.SrcFS && a.DstFS == b.DstFS && a.SrcDir == b.SrcDir &&
		slices.Equal(a.Names, b.Names) && a.DstDir == b.DstDir
}

func TestCopyDoneErrorAndRefresh(t *testing.T) {
	left, right := t.TempDir(), t.TempDir()
	m := localPair(t, left, right, 100, 24)
	if err := os.WriteFile(filepath.Join(right, "arrived.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, cmd := m.Update(CopyDoneMsg{Err: errors.New("copy x: server refused (disk full?)")})
	settle(t, m, cmd)
	if !m.status.isErr || !strings.Contains(m.status.text, "disk full") {
		t.Errorf("status %q", m.status.text)
	}
	if !slices.Contains(names(&m.panes[rightSide]), "arrived.txt") {
		t.Error("the destination pane was not listed again")
	}
}

func TestCopyNeedsOtherPane(t *testing.T) {
	root := opsTree(t)
	m := start(t, Options{Left: local.New(), LeftDir: root, Copy: func(CopyRequest) tea.Cmd { return nil }}, 100, 24)
	press(t, m, "esc") // the start picker
	press(t, m, "c")
	if m.overlay != nil || !strings.Contains(m.status.text, "other pane") {
		t.Errorf("overlay %T status %q", m.overlay, m.status.text)
	}
}
