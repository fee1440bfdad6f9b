package pane

import "strings"

// rebuildRows recomputes the rows shown from the sorted order, the hidden
// files setting and the filter. It is linear in the listing and allocates
// only when rows must grow.
func (p *Model) rebuildRows() {
	rows := p.rows[:0]
	if cap(rows) < len(p.order) {
		rows = make([]int32, 0, len(p.order))
	}
	if p.showHidden && p.filter == "" {
		p.rows = append(rows, p.order...)
		p.clampCursor()
		return
	}
	for _, i := range p.order {
		if p.shows(&p.entries[i]) {
			rows = append(rows, i)
		}
	}
	p.rows = rows
	p.clampCursor()
}

// shows reports whether e passes the hidden files setting and the filter.
func (p *Model) shows(e *Entry) bool {
	if !p.showHidden && e.isHidden() {
		return false
	}
	return p.filter == "" || strings.Contains(e.lower, p.filter)
}

// Current returns the entry under the cursor.
func (p *Model) Current() (*Entry, bool) {
	i, ok := p.currentIndex()
	if !ok {
		return nil, false
	}
	return &p.entries[i], true
}

// currentIndex returns the index into entries of the row under the cursor.
func (p *Model) currentIndex() (int32, bool) {
	if p.cursor < 0 || p.cursor >= len(p.rows) {
		return 0, false
	}
	return p.rows[p.cursor], true
}

// RowOf returns the row showing the entry named name, or -1.
func (p *Model) RowOf(name string) int {
	if name == "" {
		return -1
	}
	for r, i := range p.rows {
		if p.entries[i].name == name {
			return r
		}
	}
	return -1
}

// cursorToIndex puts the cursor on the row of entry i, if shown.
func (p *Model) cursorToIndex(i int32) {
	for r, j := range p.rows {
		if j == i {
			p.cursor = r
			break
		}
	}
	p.clampCursor()
}

// MoveCursor moves the cursor by delta rows, stopping at either end.
func (p *Model) MoveCursor(delta int) {
	p.cursor += delta
	p.clampCursor()
}

// Top and bottom put the cursor on the first or last row.
func (p *Model) Top() { p.cursor = 0; p.clampCursor() }

// Bottom puts the cursor on the last row.
func (p *Model) Bottom() { p.cursor = len(p.rows) - 1; p.clampCursor() }

// Page moves the cursor by n screens (negative: up).
func (p *Model) Page(n int) { p.MoveCursor(n * max(p.VisibleRows()-1, 1)) }

// Scroll moves the viewport by delta rows, dragging the cursor along when it
// would leave the screen, as a mouse wheel does.
func (p *Model) Scroll(delta int) {
	rows := p.VisibleRows()
	if rows == 0 {
		return
	}
	p.offset = max(min(p.offset+delta, len(p.rows)-rows), 0)
	p.cursor = max(min(p.cursor, p.offset+rows-1), p.offset)
	p.clampCursor()
}

// VisibleRows is how many entries fit below the header.
func (p *Model) VisibleRows() int { return max(p.height-1, 0) }

// clampCursor keeps the cursor on a row and scrolls the viewport so the
// cursor row is visible.
func (p *Model) clampCursor() {
	p.cursor = max(min(p.cursor, len(p.rows)-1), 0)
	rows := p.VisibleRows()
	if rows == 0 {
		p.offset = p.cursor
		return
	}
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+rows {
		p.offset = p.cursor - rows + 1
	}
	p.offset = max(min(p.offset, len(p.rows)-rows), 0)
}

// ToggleHidden shows or hides dot files, keeping the cursor on its entry
// when it stays visible.
func (p *Model) ToggleHidden() {
	cur, ok := p.currentIndex()
	p.showHidden = !p.showHidden
	p.rebuildRows()
	if ok {
		p.cursorToIndex(cur)
	}
}

// SetFilter shows only the entries whose name contains q, ignoring case,
// and puts the cursor on the first match.
func (p *Model) SetFilter(q string) {
	q = strings.ToLower(q)
	if q == p.filter {
		return
	}
	p.filter = q
	p.rebuildRows()
	p.cursor, p.offset = 0, 0
	p.clampCursor()
}

// ClearFilter shows everything again, keeping the cursor on its entry.
func (p *Model) ClearFilter() {
	if p.filter == "" {
		return
	}
	cur, ok := p.currentIndex()
	p.filter = ""
	p.rebuildRows()
	if ok {
		p.cursorToIndex(cur)
	}
}

// ToggleSelect selects or deselects the entry under the cursor and moves
// the cursor down.
func (p *Model) ToggleSelect() {
	i, ok := p.currentIndex()
	if !ok {
		return
	}
	p.setSelected(i, !p.selected[i])
	p.MoveCursor(1)
}

// setSelected marks entry i, keeping the count.
func (p *Model) setSelected(i int32, sel bool) {
	if p.selected[i] == sel {
		return
	}
	p.selected[i] = sel
	if sel {
		p.nSel++
		p.selBytes += p.entries[i].selWeight()
	} else {
		p.nSel--
		p.selBytes -= p.entries[i].selWeight()
	}
}

// InvertSelection flips the selection of every shown row.
func (p *Model) InvertSelection() {
	for _, i := range p.rows {
		p.setSelected(i, !p.selected[i])
	}
}

// SelectAll selects every shown row.
func (p *Model) SelectAll() {
	for _, i := range p.rows {
		p.setSelected(i, true)
	}
}

// ClearSelection deselects everything.
func (p *Model) ClearSelection() {
	if p.nSel == 0 {
		return
	}
	clear(p.selected)
	p.nSel, p.selBytes = 0, 0
}

// Targets returns what an operation acts on: the selected entries in the
// order shown, or the entry under the cursor when nothing is selected.
func (p *Model) Targets() []*Entry {
	if p.nSel == 0 {
		if e, ok := p.Current(); ok {
			return []*Entry{e}
		}
		return nil
	}
	out := make([]*Entry, 0, p.nSel)
	for _, i := range p.order {
		if p.selected[i] {
			out = append(out, &p.entries[i])
		}
	}
	return out
}

// SelectedSize is the total size of the selected files.
func (p *Model) SelectedSize() int64 { return p.selBytes }

// selWeight is what e adds to the selected size: a file's size; nothing
// for what opens (directories, links to them).
func (e *Entry) selWeight() int64 {
	if e.Opens() {
		return 0
	}
	return e.size
}
