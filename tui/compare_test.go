package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/tui/pane"
)

// TestCompareSelectsTheDifferences compares two directories with = and
// checks what each pane selects: what the other lacks, the newer of two
// files, both of two same-time files of different sizes, nothing for
// equal files (within SFTP's whole seconds) and directories in both.
func TestCompareSelectsTheDifferences(t *testing.T) {
	t.Parallel()
	newer := mtimeRecent.Add(time.Hour)
	left := makeTree(t,
		file{name: "only-left.txt", content: "l", mtime: mtimeRecent},
		file{name: "same.txt", content: "same", mtime: mtimeRecent},
		file{name: "same-subsecond.txt", content: "same", mtime: mtimeRecent.Add(400 * time.Millisecond)},
		file{name: "newer-left.txt", content: "new", mtime: newer},
		file{name: "newer-right.txt", content: "old", mtime: mtimeRecent},
		file{name: "size.txt", content: "four", mtime: mtimeRecent},
		file{name: "dir/", mtime: mtimeRecent},
		file{name: "dir-vs-file", content: "x", mtime: mtimeRecent},
	)
	right := makeTree(t,
		file{name: "only-right.txt", content: "r", mtime: mtimeRecent},
		file{name: "same.txt", content: "same", mtime: mtimeRecent},
		file{name: "same-subsecond.txt", content: "same", mtime: mtimeRecent},
		file{name: "newer-left.txt", content: "old", mtime: mtimeRecent},
		file{name: "newer-right.txt", content: "new", mtime: newer},
		file{name: "size.txt", content: "five!", mtime: mtimeRecent},
		file{name: "dir/", mtime: newer},
		file{name: "dir-vs-file/", mtime: mtimeRecent},
	)
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: left, RightDir: right}, 120, 30)
	press(t, m, "=")
	sel := func(p *pane.Model) []string {
		s := p.SelectedNames()
		slices.Sort(s)
		return s
	}
	if got, want := sel(&m.panes[leftSide]), []string{"dir-vs-file", "newer-left.txt", "only-left.txt", "size.txt"}; !slices.Equal(got, want) {
		t.Errorf("left selects %q, want %q", got, want)
	}
	if got, want := sel(&m.panes[rightSide]), []string{"dir-vs-file", "newer-right.txt", "only-right.txt", "size.txt"}; !slices.Equal(got, want) {
		t.Errorf("right selects %q, want %q", got, want)
	}
	if v := m.View().Content; !strings.Contains(v, "4 entries missing or newer here, 4 entries in the other pane") {
		t.Errorf("status line:\n%s", v)
	}
	// Equal directories: said so, nothing selected.
	same := makeTree(t, file{name: "a.txt", content: "a", mtime: mtimeRecent})
	same2 := makeTree(t, file{name: "a.txt", content: "a", mtime: mtimeRecent})
	m = start(t, Options{Left: local.New(), Right: local.New(), LeftDir: same, RightDir: same2}, 120, 30)
	press(t, m, "=")
	if m.panes[leftSide].NSel() != 0 || m.panes[rightSide].NSel() != 0 || !strings.Contains(m.View().Content, "the same names, sizes and times") {
		t.Errorf("equal directories: %d and %d selected\n%s", m.panes[leftSide].NSel(), m.panes[rightSide].NSel(), m.View().Content)
	}
}

// TestCompareNeedsBothPanes: with one pane empty, = says what is needed.
func TestCompareNeedsBothPanes(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "a.txt", content: "a", mtime: mtimeRecent})
	m := start(t, Options{Left: local.New(), LeftDir: left}, 120, 30)
	press(t, m, "esc") // the host picker for the right pane
	press(t, m, "=")
	if !strings.Contains(m.View().Content, "compare needs both panes listed") {
		t.Errorf("no message:\n%s", m.View().Content)
	}
}
