package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/ferry-tui/ferry/transfer"
)

// goldenEngineModel starts a model over rooted file systems labelled
// local and web1, with an engine and a runner.
func goldenEngineModel(t *testing.T, left, right string, width, height int) (*Model, *runner, *transfer.Engine) {
	t.Helper()
	return engineModel(t, &rootedFS{label: "local", base: left}, &rootedFS{label: "web1", base: right}, "", "", width, height)
}

func TestGoldenTransfers(t *testing.T) {
	t.Parallel()
	t.Run("queue after a copy", func(t *testing.T) {
		left := makeTree(t,
			file{name: "empty dir/", mtime: mtimeRecent},
			file{name: "notes.md", size: 1234, mtime: mtimeRecent},
			file{name: "evil\x1b[31mred.txt", size: 12, mtime: mtimeRecent},
			file{name: "big.bin", size: 3 << 20, mtime: mtimeOld},
		)
		m, r, _ := goldenEngineModel(t, left, t.TempDir(), 80, 24)
		copyAll(t, r)
		waitSettled(r)
		r.press("w")
		out := screen(m)
		if strings.Contains(m.View().Content, "\x1b[31mred") {
			t.Error("a raw escape sequence reached the queue view")
		}
		golden.RequireEqual(t, out)
	})
	t.Run("conflict", func(t *testing.T) {
		left := makeTree(t, file{name: "report.csv", content: "new report, longer", mtime: mtimeRecent})
		right := makeTree(t, file{name: "report.csv", content: "old", mtime: mtimeOld})
		m, r, _ := goldenEngineModel(t, left, right, 80, 24)
		copyAll(t, r)
		waitConflict(r)
		r.waitFor("the planning to end", func() bool { return !m.xfer.snap.Counting })
		golden.RequireEqual(t, screen(m))
	})
}

func TestTransferScreensFillWindowExactly(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "a.txt", content: "new", mtime: mtimeRecent}, file{name: "b.txt", content: "b"})
	right := makeTree(t, file{name: "a.txt", content: "old", mtime: mtimeOld})
	m, r, _ := goldenEngineModel(t, left, right, 100, 30)
	copyAll(t, r)
	waitConflict(r)
	check := func(what string) {
		t.Helper()
		for _, size := range [][2]int{{120, 40}, {80, 24}, {50, 10}, {20, 6}, {9, 4}, {100, 30}} {
			w, h := size[0], size[1]
			m.Update(tea.WindowSizeMsg{Width: w, Height: h})
			lines := strings.Split(m.View().Content, "\n")
			if len(lines) != h {
				t.Errorf("%s %dx%d: %d lines", what, w, h, len(lines))
			}
			for i, l := range lines {
				if got := ansi.StringWidth(l); got != w {
					t.Errorf("%s %dx%d: line %d is %d cells wide: %q", what, w, h, i, got, ansi.Strip(l))
				}
			}
		}
	}
	check("conflict over the panes")
	r.press("s")
	waitSettled(r)
	r.press("w")
	queueOpen(t, m)
	check("queue view")
}
