package pane

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/common"
)

// View renders the pane as exactly height lines of exactly width cells.
// now decides how modification times are shown. Only visible rows are
// rendered, so the cost does not grow with the listing.
func (p *Model) View(st *common.Styles, now time.Time) string {
	if p.width == 0 || p.height == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(p.height * (p.width + 32))
	b.WriteString(p.HeaderView(st))
	n := 1
	rows := p.VisibleRows()
	switch {
	case !p.loaded || len(p.rows) == 0:
		if rows > 0 {
			b.WriteByte('\n')
			b.WriteString(st.Hint.Render(common.Fit(" "+p.hint(), p.width)))
			n++
		}
	default:
		cols := layoutColumns(p.width)
		end := min(p.offset+rows, len(p.rows))
		for r := p.offset; r < end; r++ {
			i := p.rows[r]
			b.WriteByte('\n')
			b.WriteString(p.rowView(st, cols, &p.entries[i], r == p.cursor, p.selected[i], now))
			n++
		}
	}
	blank := strings.Repeat(" ", p.width)
	for ; n < p.height; n++ {
		b.WriteByte('\n')
		b.WriteString(blank)
	}
	return b.String()
}

// hint stands in for a listing that is missing or empty.
func (p *Model) hint() string {
	switch {
	case p.fs == nil:
		return "no file system: press " + p.keys.Hosts.Help().Key + " to open a host"
	case p.loaded && p.filter != "":
		return "nothing matches the filter"
	case p.loaded && len(p.entries) > 0:
		return "only hidden files: press " + p.keys.Hidden.Help().Key + " to show them"
	case p.loaded:
		return "empty directory"
	case p.loading:
		return "loading…"
	}
	return "not listed"
}

// HeaderView renders "label:/path", cutting the start of long paths, and on
// the right the filter, the selection and the sort order, as far as they fit.
func (p *Model) HeaderView(st *common.Styles) string {
	title := p.Label()
	if p.loading && p.loaded {
		title += " " + common.Ellipsis
	}
	var info []string
	if p.conn != "" {
		info = append(info, p.conn)
	}
	if p.filter != "" {
		info = append(info, "/"+text.Sanitize(p.filter))
	}
	if p.nSel > 0 {
		sel := strconv.Itoa(p.nSel) + " sel"
		if n := p.SelectedSize(); n > 0 {
			sel += " " + text.Size(n)
		}
		info = append(info, sel)
	}
	if !p.showHidden {
		info = append(info, "-hidden")
	}
	info = append(info, p.wantSpec.label())
	style := st.Header
	if p.focused {
		style = st.HeaderFocused
	}
	if p.width < 3 {
		return style.Render(common.Fit(title, p.width))
	}
	inner := p.width - 2
	right := strings.Join(info, "  ")
	// Drop the right-hand facts, least important (last) first, until the
	// path keeps at least a third of the header.
	for len(info) > 0 && ansi.StringWidth(right)+2 > inner*2/3 {
		info = info[:len(info)-1]
		right = strings.Join(info, "  ")
	}
	if right == "" {
		return style.Render(" " + common.FitLeft(title, inner) + " ")
	}
	rw := ansi.StringWidth(right)
	return style.Render(" " + common.FitLeft(title, inner-rw-2) + "  " + right + " ")
}

// columns is the layout of a row: a name column and which of the size,
// time and permission columns fit.
type columns struct {
	name              int
	size, time, perms bool
}

// Column widths of a pane row beyond those in format.go.
const (
	permWidth = 10 // "drwxr-xr-x"
	minName   = 16 // names are cut only once every other column is gone
)

// layoutColumns drops the permissions, then the time, then the size column,
// before names get narrower than minName. A row is
// " name  size  time  perms ".
func layoutColumns(width int) columns {
	base := width - 2
	size, tm, perm := 2+text.SizeWidth, 2+timeWidth, 2+permWidth
	switch {
	case base-size-tm-perm >= minName:
		return columns{name: base - size - tm - perm, size: true, time: true, perms: true}
	case base-size-tm >= minName:
		return columns{name: base - size - tm, size: true, time: true}
	case base-size >= minName:
		return columns{name: base - size, size: true}
	}
	return columns{name: max(base, 0)}
}

// rowView renders one entry. The cursor row is styled as a whole so its
// background spans the row; a selected row starts with '*'.
func (p *Model) rowView(st *common.Styles, cols columns, e *Entry, isCursor, isSel bool, now time.Time) string {
	lead := " "
	if isSel {
		lead = "*"
	}
	name := nameCell(e, cols.name)
	var meta strings.Builder
	if cols.size {
		meta.WriteString("  ")
		meta.WriteString(common.AlignRight(sizeCell(e), text.SizeWidth))
	}
	if cols.time {
		meta.WriteString("  ")
		meta.WriteString(common.Fit(formatTime(e.modTime(), now), timeWidth))
	}
	if cols.perms {
		meta.WriteString("  ")
		meta.WriteString(formatMode(e.mode))
	}
	if isCursor {
		style := st.CursorInactive
		switch {
		case p.focused && isSel:
			style = st.CursorSelected
		case p.focused:
			style = st.Cursor
		}
		return style.Render(lead + name + meta.String() + " ")
	}
	nameStyle := st.File
	switch {
	case isSel:
		nameStyle = st.Selected
	case e.IsDir():
		nameStyle = st.Dir
	case e.IsLink():
		nameStyle = st.Link
	}
	return nameStyle.Render(lead+name) + st.Meta.Render(meta.String()+" ")
}

// nameCell renders the name in exactly w cells: directories end in "/",
// symbolic links read "name -> target". The target is cut before the name,
// and a directory's marker is never cut.
func nameCell(e *Entry, w int) string {
	if e.IsLink() && e.target != "" {
		const arrow = " -> "
		if int(e.width)+len(arrow)+1 <= w {
			return common.Fit(e.display+arrow+e.target, w)
		}
	}
	marker := e.marker()
	name := e.display
	if int(e.width)+len(marker) > w {
		name = ansi.Truncate(name, max(w-len(marker), 0), common.Ellipsis)
	}
	return common.Fit(name+marker, w)
}

// sizeCell is the size column: <DIR> for directories and links to them, a
// human size otherwise.
func sizeCell(e *Entry) string {
	if e.Opens() {
		return "<DIR>"
	}
	return text.Size(e.size)
}
