package pane

import "time"

// ModTime returns the entry's modification time; zero when unknown.
func (e *Entry) ModTime() time.Time { return e.modTime() }

// Shown returns the entries shown (the hidden and filter rules applied),
// in the order shown. They are the pane's: do not change them.
func (p *Model) Shown() []*Entry {
	out := make([]*Entry, 0, len(p.rows))
	for _, i := range p.rows {
		out = append(out, &p.entries[i])
	}
	return out
}

// SelectOnly makes the selection exactly the shown entries for which keep
// holds, and returns how many it selected.
func (p *Model) SelectOnly(keep func(*Entry) bool) int {
	p.ClearSelection()
	n := 0
	for _, i := range p.rows {
		if keep(&p.entries[i]) {
			p.setSelected(i, true)
			n++
		}
	}
	return n
}
