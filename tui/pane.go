package tui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/transfer"
)

// pane is one side of the file manager: a directory on one file system, its
// sorted listing, a cursor and the viewport that follows it.
type pane struct {
	fs   transfer.FS
	side side
	keys KeyMap

	path    string  // directory shown; "" until the first listing arrives
	entries []entry // sorted listing of path
	loaded  bool    // a listing has arrived at least once
	cursor  int     // index into entries
	offset  int     // index of the first visible entry
	width   int
	height  int // header included
	focused bool

	ctx     context.Context    // parent of every listing request
	reqID   uint64             // latest request; older results are stale
	cancel  context.CancelFunc // cancels the latest request
	pending string             // name to put the cursor on when reqID lands
	loading bool               // the latest request is still running
}

// newPane returns a pane over fsys; nothing is listed until load.
func newPane(ctx context.Context, fsys transfer.FS, sd side, keys KeyMap) pane {
	return pane{fs: fsys, side: sd, keys: keys, ctx: ctx}
}

// Update handles a message addressed to this pane: keys when it has the focus.
func (p *pane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return p.handleKey(msg)
	}
	return nil
}

// handleKey moves the cursor or changes directory.
func (p *pane) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.keys.Up):
		p.moveCursor(-1)
	case key.Matches(msg, p.keys.Down):
		p.moveCursor(1)
	case key.Matches(msg, p.keys.Open):
		return p.open()
	case key.Matches(msg, p.keys.Parent):
		return p.parent()
	}
	return nil
}

// handleLoaded applies a listing if it answers the latest request and
// returns the error to report, if any. On error the previous listing stays.
func (p *pane) handleLoaded(msg dirLoadedMsg) error {
	if msg.reqID != p.reqID {
		return nil // stale: a newer request superseded it
	}
	p.loading = false
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	target := p.pending
	p.pending = ""
	if msg.err != nil {
		return msg.err
	}
	sameDir := p.loaded && msg.path == p.path
	if target == "" && sameDir {
		if e, ok := p.current(); ok {
			target = e.name // a refresh keeps the cursor on its entry
		}
	}
	p.path, p.entries, p.loaded = msg.path, msg.entries, true
	if !sameDir {
		p.cursor, p.offset = 0, 0
	}
	if i := p.indexOf(target); i >= 0 {
		p.cursor = i
	}
	p.clampCursor()
	return nil
}

// load starts listing dir (the home directory when empty), cancelling any
// earlier request; when it lands the cursor goes to the entry named
// selectName, if present.
func (p *pane) load(dir, selectName string) tea.Cmd {
	if p.fs == nil {
		return nil
	}
	if p.cancel != nil {
		p.cancel()
	}
	ctx, cancel := context.WithCancel(p.ctx)
	p.reqID++
	p.cancel = cancel
	p.pending = selectName
	p.loading = true
	return loadDir(ctx, p.fs, p.side, p.reqID, dir)
}

// open enters the directory (or link) under the cursor; files are left alone.
func (p *pane) open() tea.Cmd {
	e, ok := p.current()
	if !ok || !(e.isDir() || e.isLink()) {
		return nil
	}
	return p.load(p.fs.Join(p.path, e.name), "")
}

// parent lists the parent directory, putting the cursor on the one we left.
func (p *pane) parent() tea.Cmd {
	if !p.loaded {
		return nil
	}
	up := p.fs.Dir(p.path)
	if up == p.path {
		return nil // at the root
	}
	return p.load(up, p.fs.Base(p.path))
}

// close cancels the running request, if any.
func (p *pane) close() {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
}

// current returns the entry under the cursor.
func (p *pane) current() (entry, bool) {
	if p.cursor < 0 || p.cursor >= len(p.entries) {
		return entry{}, false
	}
	return p.entries[p.cursor], true
}

// indexOf returns the index of the entry named name, or -1.
func (p *pane) indexOf(name string) int {
	if name == "" {
		return -1
	}
	for i, e := range p.entries {
		if e.name == name {
			return i
		}
	}
	return -1
}

// moveCursor moves the cursor by delta rows, stopping at either end.
func (p *pane) moveCursor(delta int) {
	p.cursor += delta
	p.clampCursor()
}

// setSize gives the pane its width and height, header included.
func (p *pane) setSize(width, height int) {
	p.width, p.height = max(width, 0), max(height, 0)
	p.clampCursor()
}

// setFocused marks the pane as the one receiving keys.
func (p *pane) setFocused(focused bool) { p.focused = focused }

// visibleRows is how many entries fit below the header.
func (p *pane) visibleRows() int { return max(p.height-1, 0) }

// clampCursor keeps the cursor on an entry and scrolls the viewport so the
// cursor row is visible.
func (p *pane) clampCursor() {
	p.cursor = max(min(p.cursor, len(p.entries)-1), 0)
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
	p.offset = max(min(p.offset, len(p.entries)-rows), 0)
}

// View renders the pane as exactly height lines of exactly width cells.
// now decides how modification times are shown.
func (p *pane) View(st Styles, now time.Time) string {
	if p.width == 0 || p.height == 0 {
		return ""
	}
	lines := make([]string, 0, p.height)
	lines = append(lines, p.headerView(st))
	rows := p.visibleRows()
	switch {
	case !p.loaded || len(p.entries) == 0:
		if rows > 0 {
			lines = append(lines, st.Hint.Render(fit(" "+p.hint(), p.width)))
		}
	default:
		cols := layoutColumns(p.width)
		end := min(p.offset+rows, len(p.entries))
		for i := p.offset; i < end; i++ {
			lines = append(lines, p.rowView(st, cols, p.entries[i], i == p.cursor, now))
		}
	}
	blank := strings.Repeat(" ", p.width)
	for len(lines) < p.height {
		lines = append(lines, blank)
	}
	return strings.Join(lines, "\n")
}

// hint stands in for a listing that is missing or empty.
func (p *pane) hint() string {
	switch {
	case p.fs == nil:
		return "no file system"
	case p.loaded:
		return "empty directory"
	case p.loading:
		return "loading…"
	}
	return "not listed"
}

// headerView renders "label:/path", cutting the start of long paths.
func (p *pane) headerView(st Styles) string {
	text := "?"
	if p.fs != nil {
		text = Sanitize(p.fs.Label()) + ":" + Sanitize(p.path)
	}
	if p.loading && p.loaded {
		text += " " + ellipsis
	}
	style := st.Header
	if p.focused {
		style = st.HeaderFocused
	}
	if p.width < 3 {
		return style.Render(fit(text, p.width))
	}
	return style.Render(" " + fitLeft(text, p.width-2) + " ")
}

// columns is the layout of a row: a name column and which of the size and
// time columns fit.
type columns struct {
	name       int
	size, time bool
}

// layoutColumns drops the time column, then the size column, before names
// get too narrow. A row is " name  size  time ".
func layoutColumns(width int) columns {
	const minName = 16
	if n := width - 2 - (2 + sizeWidth) - (2 + timeWidth); n >= minName {
		return columns{name: n, size: true, time: true}
	}
	if n := width - 2 - (2 + sizeWidth); n >= minName {
		return columns{name: n, size: true}
	}
	return columns{name: max(width-2, 0)}
}

// rowView renders one entry. The cursor row is styled as a whole so its
// background spans the row.
func (p *pane) rowView(st Styles, cols columns, e entry, isCursor bool, now time.Time) string {
	name := nameCell(e, cols.name)
	var size, mtime string
	if cols.size {
		size = "  " + alignRight(sizeCell(e), sizeWidth)
	}
	if cols.time {
		mtime = "  " + fit(formatTime(e.modTime, now), timeWidth)
	}
	if isCursor {
		style := st.CursorInactive
		if p.focused {
			style = st.Cursor
		}
		return style.Render(" " + name + size + mtime + " ")
	}
	nameStyle := st.File
	if e.isDir() {
		nameStyle = st.Dir
	}
	return " " + nameStyle.Render(name) + st.Meta.Render(size+mtime) + " "
}

// nameCell renders the name with its marker in exactly w cells, cutting the
// name, never the marker.
func nameCell(e entry, w int) string {
	marker := e.marker()
	name := e.display
	if e.width+len(marker) > w {
		name = ansi.Truncate(name, max(w-len(marker), 0), ellipsis)
	}
	return fit(name+marker, w)
}

// sizeCell is the size column: <DIR> for directories, a human size otherwise.
func sizeCell(e entry) string {
	if e.isDir() {
		return "<DIR>"
	}
	return formatSize(e.size)
}
