package tui

import (
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
)

// A move (F6) is a batch submitted with transfer.Request.Move: the engine
// removes each source once its copy is in place, directories when the
// batch ends if they are empty, and within one file system renames what
// it can. The UI lists the source pane again as sources go (SourceRemoved
// events, and the batch's end) and reports what was kept and why
// (SourceKept events).

// keptSources tallies why a move kept sources since its batch last
// finished.
type keptSources struct {
	dirs     int   // source directories still holding entries not moved
	firstErr error // the first other reason: changed, or not removable
	errs     int   // how many other reasons
}

// keepSource notes that a move kept a source for the reason err. A
// directory left because it still holds entries is reported when the
// batch ends; anything else at once.
func (x *transfers) keepSource(b *batchInfo, err error) {
	if errors.Is(err, transfer.ErrSourceNotEmpty) {
		b.kept.dirs++
		return
	}
	if err == nil {
		err = errors.New("kept")
	}
	if b.kept.firstErr == nil {
		b.kept.firstErr = err
	}
	b.kept.errs++
	x.status.setError(fmt.Errorf("move: source not removed: %w", err))
}

// reportMove says what a move that finished without failures did with
// its sources, given the batch's summary s.
func (x *transfers) reportMove(b *batchInfo, s transfer.Summary) {
	switch k := b.kept; {
	case k.firstErr != nil:
		err := k.firstErr
		if k.errs > 1 {
			err = fmt.Errorf("%w (and %d more)", err, k.errs-1)
		}
		x.status.setError(fmt.Errorf("move: source not removed: %w", err))
	case k.dirs > 0:
		x.status.setInfo("move to " + b.dstLabel + ": kept " + text.Plural(k.dirs, "source directory") +
			" that still hold entries not moved")
	case s.Jobs > 0 && s.Removed == s.Jobs:
		x.status.setInfo("moved " + text.Plural(len(b.items), "entry") + " to " + b.dstLabel)
	default:
		x.status.setInfo("move to " + b.dstLabel + " finished")
	}
}

// leaveRemoved sends every pane showing a directory inside path, a source
// a move removed from fsys, to the directory path was in, with the cursor
// on its name: the directory the pane showed is gone.
func (x *transfers) leaveRemoved(fsys transfer.FS, path string) tea.Cmd {
	var cmds []tea.Cmd
	for i := range x.panes {
		p := &x.panes[i]
		if p.FS() == nil || !p.Loaded() || !sameLocation(p.FS(), fsys) || !transfer.Within(path, p.Path(), p.FS().Separator()) {
			continue
		}
		x.dirty[i] = false
		cmds = append(cmds, p.Load(fsys.Dir(path), fsys.Base(path)))
	}
	return tea.Batch(cmds...)
}
