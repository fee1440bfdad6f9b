package tui

import (
	"time"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/pane"
)

// timeSlack is how far two modification times may differ and still count
// as the same: SFTP keeps whole seconds, FAT two.
const timeSlack = 2 * time.Second

// compareDirs compares the directories of the two panes, as mc's "compare
// directories" does: in each pane it selects what the other lacks, and
// of the files in both, the newer copy (or both when only their sizes
// differ). F5 on the focused pane then copies exactly what is missing or
// newer there. Directories in both panes are not looked into.
func (o *fileOps) compareDirs() {
	a, b := &o.panes[*o.focus], &o.panes[o.focus.Other()]
	if a.FS() == nil || b.FS() == nil || !a.Loaded() || !b.Loaded() {
		o.status.setInfo("compare needs both panes listed (" + o.keys.Hosts.Help().Key + " opens a host)")
		return
	}
	na := compareSelect(a, b)
	nb := compareSelect(b, a)
	if na == 0 && nb == 0 {
		o.status.setInfo("the directories hold the same names, sizes and times")
		return
	}
	o.status.setInfo(text.Plural(na, "entry") + " missing or newer here, " + text.Plural(nb, "entry") +
		" in the other pane; selected on both sides (" + o.keys.Copy.Help().Key + " copies them)")
}

// compareSelect selects in p what q lacks or has older, and returns how
// many.
func compareSelect(p, q *pane.Model) int {
	other := map[string]*pane.Entry{}
	for _, e := range q.Shown() {
		other[e.Name()] = e
	}
	return p.SelectOnly(func(e *pane.Entry) bool { return differs(e, other[e.Name()]) })
}

// differs reports whether e should be selected against o, its namesake in
// the other pane (nil when there is none).
func differs(e, o *pane.Entry) bool {
	switch {
	case o == nil:
		return true
	case e.Opens() || o.Opens():
		return e.Opens() != o.Opens() // a directory facing a file
	case e.IsLink() != o.IsLink():
		return true
	}
	et, ot := e.ModTime(), o.ModTime()
	if !et.IsZero() && !ot.IsZero() {
		if d := et.Sub(ot); d > timeSlack {
			return true // newer here
		} else if d < -timeSlack {
			return false // newer there
		}
	}
	return e.Size() != o.Size()
}
