package tui

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// Golden views are compared as plain text: the content of View() with every
// ANSI sequence removed by ansi.Strip. Colours depend on the terminal's
// profile and background, so they are not part of the golden files; the
// placement of styles is checked by TestCursorAndFocusedHeaderStyled.
//
// Regenerate the files in testdata/ with: go test ./tui -run TestGolden -update
// (the -update flag is registered by the x/exp/golden package).

// goldenLeftTree is the local side: directories, names with spaces,
// non-ASCII and wide letters, an escape sequence, a bidi override, invalid
// UTF-8, sizes from bytes to mebibytes, and a name too long for its column.
func goldenLeftTree(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("fixture names need a Linux file system")
	}
	return makeTree(t,
		file{name: "docs/", mtime: mtimeRecent},
		file{name: "docs/readme.txt", size: 5, mtime: mtimeRecent},
		file{name: "dir with spaces/", mtime: mtimeRecent},
		file{name: "ünïcödé/", mtime: mtimeOld},
		file{name: ".hidden", size: 0, mtime: mtimeRecent},
		file{name: "notes.md", size: 1234, mtime: mtimeRecent},
		file{name: "big.bin", size: 10 << 20, mtime: mtimeRecent},
		file{name: "日本語のファイル.txt", size: 2048, mtime: mtimeRecent},
		file{name: "evil\x1b[31mred.txt", size: 12, mtime: mtimeRecent},
		file{name: "bidi\u202etxt.exe", size: 99, mtime: mtimeOld},
		file{name: "bad\xffbyte", size: 1, mtime: mtimeRecent},
		file{name: "a very long file name that does not fit in its column.txt", size: 123456789, mtime: mtimeOld},
	)
}

// goldenRightTree is the remote side: more files than fit, to scroll.
func goldenRightTree(t *testing.T) string {
	t.Helper()
	files := []file{{name: "photos/", mtime: mtimeRecent}}
	for i := range 30 {
		mt := mtimeRecent
		if i%7 == 0 {
			mt = mtimeOld
		}
		files = append(files, file{name: fmt.Sprintf("report %02d.csv", i), size: int64(i) * 1000, mtime: mt})
	}
	return makeTree(t, files...)
}

func TestGoldenView(t *testing.T) {
	left, right := goldenLeftTree(t), goldenRightTree(t)
	newModel := func(t *testing.T) *Model {
		return start(t, Options{
			Left:  &rootedFS{label: "local", base: left},
			Right: &rootedFS{label: "web1", base: right},
		}, 100, 20)
	}

	t.Run("start", func(t *testing.T) {
		m := newModel(t)
		golden.RequireEqual(t, ansi.Strip(m.View().Content))
	})
	t.Run("right scrolled", func(t *testing.T) {
		m := newModel(t)
		press(t, m, "tab")
		for range 20 {
			press(t, m, "j")
		}
		golden.RequireEqual(t, ansi.Strip(m.View().Content))
	})
	t.Run("inside a directory", func(t *testing.T) {
		m := newModel(t)
		settle(t, m, press(t, m, "j", "enter")) // docs
		golden.RequireEqual(t, ansi.Strip(m.View().Content))
	})
	t.Run("narrow", func(t *testing.T) {
		m := newModel(t)
		m.Update(tea.WindowSizeMsg{Width: 50, Height: 12})
		golden.RequireEqual(t, ansi.Strip(m.View().Content))
	})
}

func TestGoldenViewHasNoRawControls(t *testing.T) {
	left := goldenLeftTree(t)
	m := start(t, Options{Left: &rootedFS{label: "local", base: left}, Right: &rootedFS{label: "web1", base: left}}, 100, 20)
	plain := ansi.Strip(m.View().Content)
	for _, bad := range []string{"\x1b", "\u202e", "\xff", "\a"} {
		if strings.Contains(plain, bad) {
			t.Errorf("view contains raw %q", bad)
		}
	}
	for _, want := range []string{`evil\x1b[31mred.txt`, `bidi\u202etxt.exe`, `bad\xffbyte`, "日本語のファイル.txt", "dir with spaces/", "ünïcödé/"} {
		if !strings.Contains(plain, want) {
			t.Errorf("view does not show %q", want)
		}
	}
}
