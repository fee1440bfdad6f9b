package pane

import (
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
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

// HeaderView renders "label:/path", cutting the start of a long path but
// never the label, and on the right the filter, the selection and the sort
// order, as far as they fit.
func (p *Model) HeaderView(st *common.Styles) string {
	label, path := "?", ""
	if p.fs != nil {
		label, path = text.Sanitize(p.fs.Label())+":", text.Sanitize(p.path)
	}
	if p.loading && p.loaded {
		path += " " + common.Ellipsis
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
		return style.Render(titleCell(label, path, p.width))
	}
	inner := p.width - 2
	right := strings.Join(info, "  ")
	// Drop the right-hand facts, least important (last) first, until the
	// title keeps at least a third of the header and room for the label,
	// an ellipsis and a cell of the path.
	lw := ansi.StringWidth(label)
	for len(info) > 0 && (ansi.StringWidth(right)+2 > inner*2/3 || inner-ansi.StringWidth(right)-2 < lw+2) {
		info = info[:len(info)-1]
		right = strings.Join(info, "  ")
	}
	if right == "" {
		return style.Render(" " + titleCell(label, path, inner) + " ")
	}
	rw := ansi.StringWidth(right)
	return style.Render(" " + titleCell(label, path, inner-rw-2) + "  " + right + " ")
}

// titleCell renders label and path in exactly w cells. A path too long
// loses its start to an ellipsis, keeping the label and the path's end;
// only when the label leaves no room for an ellipsis and one more cell is
// the label itself cut, at its end.
func titleCell(label, path string, w int) string {
	lw := ansi.StringWidth(label)
	switch {
	case lw+ansi.StringWidth(path) <= w:
		return common.Fit(label+path, w)
	case w-lw >= 2:
		return label + common.FitLeft(path, w-lw)
	}
	return common.Fit(label+path, w)
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
		meta.WriteString(common.AlignRight(p.sizeCell(e), text.SizeWidth))
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
	return nameStyle(st, e, isSel).Render(lead+name) + st.Meta.Render(meta.String()+" ")
}

// nameCell renders the name in exactly w cells: directories end in "/",
// symbolic links read "name -> target", broken ones "name -> target
// (broken)". The target is cut before the name; when even the name does
// not fit, a broken link ends in "!", and a directory's marker or a broken
// link's "!" is never cut.
func nameCell(e *Entry, w int) string {
	if e.IsLink() && (e.target != "" || e.broken) {
		const arrow = " -> "
		tail := ""
		if e.broken {
			tail = brokenTail
		}
		switch {
		case e.target == "" && int(e.width)+len(tail) <= w:
			return common.Fit(e.display+tail, w)
		case e.target != "" && int(e.width)+len(arrow)+1+len(tail) <= w:
			link := ansi.Truncate(e.display+arrow+e.target, w-len(tail), common.Ellipsis)
			return common.Fit(link+tail, w)
		}
	}
	marker := e.marker()
	name := e.display
	if int(e.width)+len(marker) > w {
		name = ansi.Truncate(name, max(w-len(marker), 0), common.Ellipsis)
	}
	return common.Fit(name+marker, w)
}

// brokenTail follows a broken symbolic link's name and target.
const brokenTail = " (broken)"

// nameStyle is the style of the name of an entry not under the cursor:
// selected, a directory, a broken link (drawn as an error), a link, one of
// ferry's temporary files (dimmed like the size and time columns), or a
// plain file.
func nameStyle(st *common.Styles, e *Entry, isSel bool) lipgloss.Style {
	switch {
	case isSel:
		return st.Selected
	case e.IsDir():
		return st.Dir
	case e.broken:
		return st.StatusError
	case e.IsLink():
		return st.Link
	case e.temp:
		return st.Meta
	}
	return st.File
}
