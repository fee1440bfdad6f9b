package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

func TestDeletePartialRemovesItsResumeRecord(t *testing.T) {
	t.Parallel()
	fsys := local.New()
	root := makeTree(t, file{name: "big.iso", content: "x"})
	part := transfer.TempPath(fsys, filepath.Join(root, "big.iso"))
	other := transfer.TempPath(fsys, filepath.Join(root, "other.iso"))
	lone := transfer.TempPath(fsys, filepath.Join(root, "lone.iso"))
	for _, p := range []string{part, transfer.MetaPath(part), other, transfer.MetaPath(other), lone} {
		writeFixture(t, p)
	}
	m := localPair(t, root, root, 120, 20)
	p := &m.panes[leftSide]

	// The partial alone: its record goes with it.
	p.SetCursor(p.RowOf(filepath.Base(part)))
	press(t, m, "f8")
	if !strings.Contains(screen(m), "Delete .big.iso.ferry-part (and its resume record) from") {
		t.Errorf("the dialog does not say the record goes too:\n%s", screen(m))
	}
	settle(t, m, press(t, m, "y"))
	if exists(part) || exists(transfer.MetaPath(part)) {
		t.Fatalf("left behind: part %v, meta %v", exists(part), exists(transfer.MetaPath(part)))
	}
	if listed(m, rightSide, filepath.Base(transfer.MetaPath(part))) {
		t.Error("the other pane still lists the record")
	}

	// Both selected: no error for the record already gone.
	selectRows(t, m, filepath.Base(other), filepath.Base(transfer.MetaPath(other)))
	press(t, m, "f8")
	settle(t, m, press(t, m, "y"))
	if exists(other) || exists(transfer.MetaPath(other)) || m.status.isErr {
		t.Fatalf("part %v, meta %v, status %q", exists(other), exists(transfer.MetaPath(other)), m.status.text)
	}

	// A partial without a record (a small file's) deletes cleanly.
	p.SetCursor(p.RowOf(filepath.Base(lone)))
	press(t, m, "f8")
	settle(t, m, press(t, m, "y"))
	if exists(lone) || m.status.isErr {
		t.Fatalf("lone part %v, status %q", exists(lone), m.status.text)
	}
	if !exists(filepath.Join(root, "big.iso")) {
		t.Error("the target was deleted too")
	}
}

// writeFixture writes a small file at path.
func writeFixture(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("part"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// selectRows selects names in the left pane, through its keys.
func selectRows(t *testing.T, m *Model, names ...string) {
	t.Helper()
	p := &m.panes[leftSide]
	for _, n := range names {
		row := p.RowOf(n)
		if row < 0 {
			t.Fatalf("%q not listed", n)
		}
		p.SetCursor(row)
		press(t, m, "space")
	}
}
