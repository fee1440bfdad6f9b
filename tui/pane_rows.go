package tui

import "strings"

// rebuildRows recomputes the rows shown from the sorted order, the hidden
// files setting and the filter. It is linear in the listing and allocates
// only when rows must grow.
func (p *pane) rebuildRows() {
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
func (p *pane) shows(e *entry) bool {
	if !p.showHidden && e.isHidden() {
		return false
	}
	return p.filter == "" || strings.Contains(e.lower, p.filter)
}

// current returns the entry under the cursor.
func (p *pane) current() (*entry, bool) {
	i, ok := p.currentIndex()
	if !ok {
		return nil, false
	}
	return &p.entries[i], true
}

// currentIndex returns the index into entries of the row under the cursor.
func (p *pane) currentIndex() (int32, bool) {
	if p.cursor < 0 || p.cursor >= len(p.rows) {
		return 0, false
	}
	return p.rows[p.cursor], true
}

// rowOf returns the row showing the entry named name, or -1.
func (p *pane) rowOf(name string) int {
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
func (p *pane) cursorToIndex(i int32) {
	for r, j := range p.rows {
		if j == i {
			p.cursor = r
			break
		}
	}
	p.clampCursor()
}

// moveCursor moves the cursor by delta rows, stopping at either end.
func (p *pane) moveCursor(delta int) {
	p.cursor += delta
	p.clampCursor()
}

// top and bottom put the cursor on the first or last row.
func (p *pane) top() { p.cursor = 0; p.clampCursor() }

// bottom puts the cursor on the last row.
func (p *pane) bottom() { p.cursor = len(p.rows) - 1; p.clampCursor() }

// page moves the cursor by n screens (negative: up).
func (p *pane) page(n int) { p.moveCursor(n * max(p.visibleRows()-1, 1)) }

// scroll moves the viewport by delta rows, dragging the cursor along when it
// would leave the screen, as a mouse wheel does.
func (p *pane) scroll(delta int) {
	rows := p.visibleRows()
	if rows == 0 {
		return
	}
	p.offset = max(min(p.offset+delta, len(p.rows)-rows), 0)
	p.cursor = max(min(p.cursor, p.offset+rows-1), p.offset)
	p.clampCursor()
}

// visibleRows is how many entries fit below the header.
func (p *pane) visibleRows() int { return max(p.height-1, 0) }

// clampCursor keeps the cursor on a row and scrolls the viewport so the
// cursor row is visible.
func (p *pane) clampCursor() {
	p.cursor = max(min(p.cursor, len(p.rows)-1), 0)
	rows := p.visibleRows()
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

// toggleHidden shows or hides dot files, keeping the cursor on its entry
// when it stays visible.
func (p *pane) toggleHidden() {
	cur, ok := p.currentIndex()
	p.showHidden = !p.showHidden
	p.rebuildRows()
	if ok {
		p.cursorToIndex(cur)
	}
}

// setFilter shows only the entries whose name contains q, ignoring case,
// and puts the cursor on the first match.
func (p *pane) setFilter(q string) {
	q = strings.ToLower(q)
	if q == p.filter {
		return
	}
	p.filter = q
	p.rebuildRows()
	p.cursor, p.offset = 0, 0
	p.clampCursor()
}

// clearFilter shows everything again, keeping the cursor on its entry.
func (p *pane) clearFilter() {
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

// toggleSelect selects or deselects the entry under the cursor and moves
// the cursor down.
func (p *pane) toggleSelect() {
	i, ok := p.currentIndex()
	if !ok {
		return
	}
	p.setSelected(i, !p.selected[i])
	p.moveCursor(1)
}

// setSelected marks entry i, keeping the count.
func (p *pane) setSelected(i int32, sel bool) {
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

// invertSelection flips the selection of every shown row.
func (p *pane) invertSelection() {
	for _, i := range p.rows {
		p.setSelected(i, !p.selected[i])
	}
}

// selectAll selects every shown row.
func (p *pane) selectAll() {
	for _, i := range p.rows {
		p.setSelected(i, true)
	}
}

// clearSelection deselects everything.
func (p *pane) clearSelection() {
	if p.nSel == 0 {
		return
	}
	clear(p.selected)
	p.nSel, p.selBytes = 0, 0
}

// targets returns what an operation acts on: the selected entries in the
// order shown, or the entry under the cursor when nothing is selected.
func (p *pane) targets() []*entry {
	if p.nSel == 0 {
		if e, ok := p.current(); ok {
			return []*entry{e}
		}
		return nil
	}
	out := make([]*entry, 0, p.nSel)
	for _, i := range p.order {
		if p.selected[i] {
			out = append(out, &p.entries[i])
		}
	}
	return out
}

// selectedSize is the total size of the selected files.
func (p *pane) selectedSize() int64 { return p.selBytes }

// selWeight is what e adds to the selected size: a file's size; nothing
// for what opens (directories, links to them).
func (e *entry) selWeight() int64 {
	if e.opens() {
		return 0
	}
	return e.size
}
