package tui

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/ferry-tui/ferry/local"
)

// Golden views come in two kinds. Layout goldens hold the content of View()
// with every ANSI sequence removed by ansi.Strip: they show what is where.
// Styled goldens hold the raw content, escape sequences and all, for the
// dark, light and colourless themes: lipgloss renders true colour whatever
// the terminal, and the renderer downsamples later, so they are stable.
//
// Regenerate the files in testdata/ with: go test ./tui -run TestGolden -update
// (the -update flag is registered by the x/exp/golden package).

// goldenLeftTree is the local side: directories, a symbolic link, names
// with spaces, non-ASCII and wide letters, an escape sequence, a bidi
// override, invalid UTF-8, sizes from bytes to mebibytes, and a name too
// long for its column.
func goldenLeftTree(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("fixture names need a Linux file system")
	}
	root := makeTree(t,
		file{name: "docs/", mtime: mtimeRecent},
		file{name: "docs/readme.txt", mtime: mtimeRecent, content: "# Read me\r\n\tindented by a tab\nünïcödé and 日本語\nan \x1b[2Jescape and a bell\a\n"},
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
	if err := os.Symlink("docs", filepath.Join(root, "link to docs")); err != nil {
		t.Fatal(err)
	}
	return root
}

// goldenRightTree is the remote side: more files than fit, to scroll.
func goldenRightTree(t *testing.T) string {
	t.Helper()
	files := []file{{name: "photos/", mtime: mtimeRecent}}
	for i := range 45 {
		mt := mtimeRecent
		if i%7 == 0 {
			mt = mtimeOld
		}
		files = append(files, file{name: fmt.Sprintf("report %02d.csv", i), size: int64(i) * 1000, mtime: mt})
	}
	return makeTree(t, files...)
}

// goldenModel starts the golden fixture at width x height.
func goldenModel(t *testing.T, left, right string, width, height int, opts Options) *Model {
	t.Helper()
	opts.Left = &rootedFS{label: "local", base: left, linkTime: mtimeOld}
	opts.Right = &rootedFS{label: "web1", base: right, linkTime: mtimeOld}
	return start(t, opts, width, height)
}

func TestGoldenView(t *testing.T) {
	t.Parallel()
	left, right := goldenLeftTree(t), goldenRightTree(t)
	states := []struct {
		name string
		do   func(t *testing.T, m *Model)
	}{
		{"start", func(t *testing.T, m *Model) {}},
		{"right scrolled", func(t *testing.T, m *Model) {
			press(t, m, "tab")
			for range 30 {
				press(t, m, "j")
			}
		}},
		{"inside a directory", func(t *testing.T, m *Model) {
			settle(t, m, press(t, m, "j", "enter")) // docs
		}},
		{"selection and filter", func(t *testing.T, m *Model) {
			press(t, m, "tab", "/")
			typeText(t, m, "report 1")
			press(t, m, "enter", "j", "space", "space")
		}},
		{"sorted by size without hidden", func(t *testing.T, m *Model) {
			settle(t, m, press(t, m, "s"))
			press(t, m, ".")
		}},
		{"rename dialog", func(t *testing.T, m *Model) {
			press(t, m, "j", "j", "j", "j", "j", "r")
		}},
		{"delete dialog", func(t *testing.T, m *Model) {
			settle(t, m, press(t, m, "j", "f8")) // docs, counted
		}},
		{"full help", func(t *testing.T, m *Model) { press(t, m, "?") }},
		{"viewer", func(t *testing.T, m *Model) {
			settle(t, m, press(t, m, "j", "enter")) // docs
			settle(t, m, press(t, m, "v"))          // readme.txt
		}},
	}
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for _, st := range states {
			t.Run(fmt.Sprintf("%dx%d %s", size[0], size[1], st.name), func(t *testing.T) {
				m := goldenModel(t, left, right, size[0], size[1], Options{})
				st.do(t, m)
				golden.RequireEqual(t, screen(m))
			})
		}
	}
	t.Run("narrow", func(t *testing.T) {
		m := goldenModel(t, left, right, 50, 12, Options{})
		golden.RequireEqual(t, screen(m))
	})
}

func TestGoldenStyled(t *testing.T) {
	t.Parallel()
	left, right := goldenLeftTree(t), goldenRightTree(t)
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for _, tt := range []struct {
			name    string
			bg      color.Color
			noColor bool
		}{
			{"dark", color.Black, false},
			{"light", color.White, false},
			{"no color", color.White, true},
		} {
			t.Run(fmt.Sprintf("%dx%d %s", size[0], size[1], tt.name), func(t *testing.T) {
				m := goldenModel(t, left, right, size[0], size[1], Options{NoColor: tt.noColor})
				m.Update(tea.BackgroundColorMsg{Color: tt.bg})
				press(t, m, "j", "space", "j")
				golden.RequireEqual(t, m.View().Content)
			})
		}
	}
}

func TestDarkAndLightStylesDiffer(t *testing.T) {
	t.Parallel()
	left, right := goldenLeftTree(t), goldenRightTree(t)
	render := func(bg color.Color, noColor bool) string {
		m := goldenModel(t, left, right, 80, 24, Options{NoColor: noColor})
		m.Update(tea.BackgroundColorMsg{Color: bg})
		return m.View().Content
	}
	dark, light := render(color.Black, false), render(color.White, false)
	if dark == light {
		t.Fatal("dark and light views are identical")
	}
	if ansi.Strip(dark) != ansi.Strip(light) {
		t.Error("the theme changed the layout, not only the colours")
	}
	for _, sgr := range []string{"38;2;", "48;2;"} {
		if !strings.Contains(dark, sgr) {
			t.Errorf("dark view has no %q colour", sgr)
		}
	}
	mono := render(color.Black, true)
	if strings.Contains(mono, "38;") || strings.Contains(mono, "48;") {
		t.Error("NoColor view sets colours")
	}
	if !strings.Contains(mono, "\x1b[7m") {
		t.Error("NoColor view does not show the cursor in reverse video")
	}
	if mono != render(color.White, true) {
		t.Error("NoColor view depends on the background")
	}
}

func TestGoldenViewHasNoRawControls(t *testing.T) {
	t.Parallel()
	left := goldenLeftTree(t)
	m := goldenModel(t, left, left, 120, 40, Options{})
	plain := screen(m)
	for _, bad := range []string{"\x1b", "\u202e", "\xff", "\a"} {
		if strings.Contains(plain, bad) {
			t.Errorf("view contains raw %q", bad)
		}
	}
	for _, want := range []string{`evil\x1b[31mred.txt`, `bidi\u202etxt.exe`, `bad\xffbyte`, "日本語のファイル.txt", "dir with spaces/", "ünïcödé/", "link to docs -> docs", "drwxr-xr-x", "-rw-r--r--"} {
		if !strings.Contains(plain, want) {
			t.Errorf("view does not show %q", want)
		}
	}
}

func TestGoldenPicker(t *testing.T) {
	t.Parallel()
	left, right := goldenLeftTree(t), goldenRightTree(t)
	m := goldenModel(t, left, right, 80, 24, Options{Local: &rootedFS{label: "local", base: left}, Hosts: testHosts})
	settle(t, m, press(t, m, "tab", "o"))
	press(t, m, "down")
	golden.RequireEqual(t, screen(m))
}

func TestOverlaysFillWindowExactly(t *testing.T) {
	t.Parallel()
	root := goldenLeftTree(t)
	overlays := map[string][]string{
		"rename": {"j", "j", "j", "j", "j", "r"},
		"delete": {"j", "d"},
		"goto":   {":"},
		"picker": {"o"},
		"help":   {"?"},
		"filter": {"/", "d"},
	}
	for name, keys := range overlays {
		for _, size := range [][2]int{{120, 40}, {80, 24}, {50, 10}, {20, 6}, {9, 4}} {
			w, h := size[0], size[1]
			m := goldenModel(t, root, root, w, h, Options{Local: local.New()})
			settle(t, m, press(t, m, keys...))
			lines := strings.Split(m.View().Content, "\n")
			if len(lines) != h {
				t.Errorf("%s %dx%d: %d lines", name, w, h, len(lines))
			}
			for i, l := range lines {
				if got := ansi.StringWidth(l); got != w {
					t.Errorf("%s %dx%d: line %d is %d cells wide: %q", name, w, h, i, got, ansi.Strip(l))
				}
			}
		}
	}
}
