package dialog

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
)

// boxer is any dialog.
type boxer interface {
	Box(st *common.Styles, maxWidth int) []string
}

// boxIn renders d in a window width cells wide as the root does, checks
// that the box leaves a margin and returns its text, one string, with the
// frame and the line breaks taken out.
func boxIn(t *testing.T, d boxer, width int) (text string, boxWidth int) {
	t.Helper()
	var words []string
	st := common.MonoStyles()
	for _, l := range d.Box(&st, width-2) {
		l = ansi.Strip(l)
		boxWidth = max(boxWidth, ansi.StringWidth(l))
		words = append(words, strings.Fields(strings.Trim(l, "│╭╮╰╯┌┐└┘─ "))...)
	}
	if boxWidth > max(width-8, 12) {
		t.Errorf("at %d columns the box is %d wide", width, boxWidth)
	}
	return strings.Join(words, " "), boxWidth
}

func TestDialogsFitTheWindowAndWrap(t *testing.T) {
	summary := "3 files and 2 directories, 1.2M in all. This cannot be undone."
	long := "a very long file name that does not fit in one line of the dialog at all, not even on a wide screen.txt"
	deep := "/srv/www/releases/2026-12-06/assets/images/thumbnails/large/report-final.csv"
	for _, tt := range []struct {
		width     int
		wantWidth int // the box's width
	}{
		{140, 100},
		{80, 72},
		{40, 32},
	} {
		confirm := NewConfirm(1, "Delete 5 entries?", []string{summary + " " + summary}, keys())
		got, w := boxIn(t, confirm, tt.width)
		if !strings.Contains(got, summary+" "+summary) || strings.Contains(got, "…") || w != tt.wantWidth {
			t.Errorf("confirm at %d columns, %d wide: %q", tt.width, w, got)
		}
		short := NewConfirm(1, "Quit ferry?", []string{"1 transfer is still running."}, keys())
		if _, w := boxIn(t, short, tt.width); w != min(68, tt.wantWidth) {
			t.Errorf("short confirm at %d columns is %d wide", tt.width, w)
		}

		in := NewInput(2, "Rename "+long+" to", long, keys())
		in.SetSize(tt.width, 24)
		in.SetErr("rename " + long + ": permission denied")
		got, w = boxIn(t, in, tt.width)
		if !strings.Contains(got, "Rename "+long+" to") || !strings.Contains(got, "rename "+long+": permission denied") || w != tt.wantWidth {
			t.Errorf("input at %d columns, %d wide: %q", tt.width, w, got)
		}

		var done atomic.Int64
		done.Store(3)
		prog := NewProgress(3, "Deleting "+long, 10, &done, keys())
		if got, _ := boxIn(t, prog, tt.width); !strings.Contains(got, "Deleting "+long) || !strings.Contains(got, "removed 3 of 10") {
			t.Errorf("progress at %d columns: %q", tt.width, got)
		}

		c := NewConflict(4, time.UTC, keys())
		c.Show(transfer.Conflict{Src: deep, Dst: deep, SrcSize: 2048, DstSize: 3}, "local", "web1", 0)
		got, _ = boxIn(t, c, tt.width)
		for _, want := range []string{"report-final.csv already exists", "for all conflicts of this copy (or O S R B U)", "keep both", "if newer"} {
			if !strings.Contains(got, want) {
				t.Errorf("conflict at %d columns lacks %q: %q", tt.width, want, got)
			}
		}
		if tt.width >= 140 && !strings.Contains(got, "local:"+deep) {
			t.Errorf("conflict at %d columns cut the path: %q", tt.width, got)
		}
	}
}
