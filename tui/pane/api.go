package pane

import (
	"io/fs"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
)

// Side returns the pane that asked for the listing.
func (msg LoadedMsg) Side() common.Side { return msg.side }

// Err returns why the listing failed; nil when it did not.
func (msg LoadedMsg) Err() error { return msg.err }

// Side returns the pane whose listing was sorted.
func (msg SortedMsg) Side() common.Side { return msg.side }

// FS returns the file system shown; nil for none.
func (p *Model) FS() transfer.FS { return p.fs }

// Path returns the directory shown; "" until the first listing arrives.
func (p *Model) Path() string { return p.path }

// HomeDir returns the file system's home, once a listing found it.
func (p *Model) HomeDir() string { return p.homeDir }

// Loaded reports whether a listing has arrived at least once.
func (p *Model) Loaded() bool { return p.loaded }

// Loading reports whether the latest request is still running.
func (p *Model) Loading() bool { return p.loading }

// Cursor returns the row under the cursor.
func (p *Model) Cursor() int { return p.cursor }

// Offset returns the first row shown.
func (p *Model) Offset() int { return p.offset }

// Rows returns how many rows are shown: the listing without what is
// hidden or filtered out.
func (p *Model) Rows() int { return len(p.rows) }

// Width returns the pane's width in cells.
func (p *Model) Width() int { return p.width }

// Height returns the pane's height in lines, header included.
func (p *Model) Height() int { return p.height }

// Focused reports whether the pane has the keys.
func (p *Model) Focused() bool { return p.focused }

// Filter returns the live filter, lower-cased; "" shows everything.
func (p *Model) Filter() string { return p.filter }

// ShowHidden reports whether dot files are shown.
func (p *Model) ShowHidden() bool { return p.showHidden }

// NSel returns how many entries are selected.
func (p *Model) NSel() int { return p.nSel }

// SetConn sets what the header says about the connection: "" while it
// is up.
func (p *Model) SetConn(s string) { p.conn = s }

// SetCursor puts the cursor on row, kept within the rows.
func (p *Model) SetCursor(row int) {
	p.cursor = row
	p.clampCursor()
}

// Names returns the raw names of the rows, in the order shown.
func (p *Model) Names() []string {
	out := make([]string, len(p.rows))
	for r, i := range p.rows {
		out[r] = p.entries[i].name
	}
	return out
}

// SelectedNames returns the raw names selected, in the order shown.
func (p *Model) SelectedNames() []string {
	var out []string
	for _, i := range p.order {
		if p.selected[i] {
			out = append(out, p.entries[i].name)
		}
	}
	return out
}

// Latest reports whether msg answers the pane's latest request.
func (p *Model) Latest(msg LoadedMsg) bool { return msg.reqID == p.reqID }

// RetryOnce asks again for what the latest request asked, once per
// request: for a listing whose connection dropped under it. ok is false
// when it was asked again already.
func (p *Model) RetryOnce() (cmd tea.Cmd, ok bool) {
	if p.lostRetried {
		return nil, false
	}
	moving := p.hist.moving
	cmd = p.Load(p.reqDir, p.pending)
	p.lostRetried = true
	p.hist.moving = moving
	return cmd, true
}

// Update handles the keys of the file list: moving the cursor, opening,
// selecting, hiding dot files and sorting. It returns the Cmd that lists
// or sorts, and whether the key was the pane's.
func (p *Model) Update(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := p.keys
	switch {
	case key.Matches(msg, k.Up):
		p.MoveCursor(-1)
	case key.Matches(msg, k.Down):
		p.MoveCursor(1)
	case key.Matches(msg, k.Top):
		p.Top()
	case key.Matches(msg, k.Bottom):
		p.Bottom()
	case key.Matches(msg, k.PageUp):
		p.Page(-1)
	case key.Matches(msg, k.PageDown):
		p.Page(1)
	case key.Matches(msg, k.Open):
		return p.Open(), true
	case key.Matches(msg, k.Parent):
		return p.Parent(), true
	case key.Matches(msg, k.Select):
		p.ToggleSelect()
	case key.Matches(msg, k.InvertSelection):
		p.InvertSelection()
	case key.Matches(msg, k.SelectAll):
		p.SelectAll()
	case key.Matches(msg, k.ClearSelection):
		p.escape()
	case key.Matches(msg, k.Hidden):
		p.ToggleHidden()
	case key.Matches(msg, k.Sort):
		return p.CycleSort(), true
	case key.Matches(msg, k.Reverse):
		return p.ReverseSort(), true
	case key.Matches(msg, k.Home):
		return p.Home(), true
	case key.Matches(msg, k.Back):
		return p.Back(), true
	case key.Matches(msg, k.Forward):
		return p.Forward(), true
	default:
		return nil, false
	}
	return nil, true
}

// escape clears the selection or, when nothing is selected, a filter
// that was kept.
func (p *Model) escape() {
	if p.nSel > 0 {
		p.ClearSelection()
		return
	}
	p.ClearFilter()
}

// Name returns the entry's name as the file system returned it.
func (e *Entry) Name() string { return e.name }

// Display returns the name sanitised for display.
func (e *Entry) Display() string { return e.display }

// Size returns the entry's size (a link to a file: the file's).
func (e *Entry) Size() int64 { return e.size }

// LinkDir reports whether the entry is a symbolic link to a directory.
func (e *Entry) LinkDir() bool { return e.linkDir }

// Mode returns the entry's mode bits, as Lstat reported them.
func (e *Entry) Mode() fs.FileMode { return e.mode }

// Sorted names the order the rows are in, as the header does ("size↓");
// while a sort runs the header shows the order asked for.
func (p *Model) Sorted() string { return p.spec.label() }
