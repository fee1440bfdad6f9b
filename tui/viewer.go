package tui

import (
	"github.com/ferry-tui/ferry/tui/common"

	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
)

// viewLimit is how much of a file the viewer reads.
const viewLimit = 1 << 20

// viewerLoadedMsg carries the start of a file to the viewer.
type viewerLoadedMsg struct {
	id        uint64
	data      []byte
	truncated bool // the file is longer than viewLimit
	err       error
}

// viewer shows the first MiB of a file, as text with control bytes escaped
// or, for binary data, as a hex dump.
type viewer struct {
	id      uint64
	title   string // sanitised "label:/path"
	size    int64  // as listed
	loading bool

	data      []byte
	truncated bool
	hex       bool
	starts    []int // text: offset of each line
	top       int   // first line shown
	left      int   // cells scrolled to the right
}

// keys returns the viewer's bindings for the help bar.
func (v *viewer) keys(k *KeyMap) help.KeyMap {
	return common.Bindings{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.ScrollLeft, k.ScrollRight, k.CloseViewer}
}

// startView opens the file under the cursor in the viewer.
func (m *Model) startView() tea.Cmd {
	p, ok := m.actionPane()
	if !ok {
		return nil
	}
	e, ok := p.current()
	if !ok || e.opens() {
		m.status.setInfo("choose a file to view")
		return nil
	}
	full := p.fs.Join(p.path, e.name)
	v := &viewer{id: m.newID(), title: text.Sanitize(p.fs.Label()) + ":" + text.Sanitize(full), size: e.size, loading: true}
	m.push(v)
	return readHead(m.ctx, p.fs, full, v.id)
}

// readHead returns a Cmd reading the first viewLimit bytes of name.
func readHead(ctx context.Context, fsys transfer.FS, name string, id uint64) tea.Cmd {
	return func() tea.Msg {
		r, err := fsys.Open(ctx, name)
		if err != nil {
			return viewerLoadedMsg{id: id, err: err}
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, viewLimit+1))
		if err != nil {
			return viewerLoadedMsg{id: id, err: fmt.Errorf("read %s: %w", name, err)}
		}
		truncated := len(data) > viewLimit
		if truncated {
			data = data[:viewLimit]
		}
		return viewerLoadedMsg{id: id, data: data, truncated: truncated}
	}
}

// handleViewerLoaded shows the data, or closes the viewer with the error.
func (m *Model) handleViewerLoaded(msg viewerLoadedMsg) tea.Cmd {
	v, ok := topIs[*viewer](m)
	if !ok || v.id != msg.id {
		return nil
	}
	v.loading = false
	if msg.err != nil {
		m.status.setError(msg.err)
		return m.closed(v)
	}
	v.data, v.truncated = msg.data, msg.truncated
	v.hex = isBinary(msg.data)
	if !v.hex {
		v.starts = lineStarts(msg.data)
	}
	return nil
}

// isBinary reports whether data looks like anything but text: a NUL byte,
// or more than one byte in ten that is invalid UTF-8 or a control other
// than tab, newline, carriage return, form feed or escape.
func isBinary(data []byte) bool {
	sample := data[:min(len(data), 8192)]
	if bytes.IndexByte(sample, 0) >= 0 {
		return true
	}
	bad := 0
	for i := 0; i < len(sample); {
		r, n := utf8.DecodeRune(sample[i:])
		switch {
		case r == utf8.RuneError && n == 1 && len(sample)-i >= utf8.UTFMax:
			bad++ // an invalid byte, not a rune cut by the sample's end
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' && r != 0x1b:
			bad++
		}
		i += n
	}
	return bad*10 > len(sample)
}

// lineStarts returns the offset of every line of data.
func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' && i+1 < len(data) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineCount is how many lines the viewer scrolls over.
func (v *viewer) lineCount() int {
	if v.hex {
		return (len(v.data) + 15) / 16
	}
	return len(v.starts)
}

// handleViewerKey scrolls or closes the viewer.
func (m *Model) handleViewerKey(v *viewer, msg tea.KeyPressMsg) tea.Cmd {
	k := &m.keys
	rows := max(m.bodyHeight()-1, 1) // below the header
	page := max(rows-1, 1)
	switch {
	case key.Matches(msg, k.CloseViewer):
		return m.closed(v)
	case key.Matches(msg, k.Up):
		v.scroll(-1, rows)
	case key.Matches(msg, k.Down):
		v.scroll(1, rows)
	case key.Matches(msg, k.PageUp):
		v.scroll(-page, rows)
	case key.Matches(msg, k.PageDown), msg.String() == "space":
		v.scroll(page, rows)
	case key.Matches(msg, k.Top):
		v.top = 0
	case key.Matches(msg, k.Bottom):
		v.scroll(v.lineCount(), rows)
	case key.Matches(msg, k.ScrollLeft):
		v.left = max(v.left-8, 0)
	case key.Matches(msg, k.ScrollRight):
		v.left += 8
	}
	return nil
}

// scroll moves the view by delta lines with rows lines on screen.
func (v *viewer) scroll(delta, rows int) {
	v.top = max(min(v.top+delta, v.lineCount()-rows), 0)
}

// screen renders the viewer: a header line and the visible lines.
func (v *viewer) screen(st *Styles, width, height int) string {
	lines := make([]string, 0, height)
	mode := "text"
	if v.hex {
		mode = "hex"
	}
	head := v.title + "  " + text.Bytes(v.size) + "  " + mode
	if v.truncated {
		head += "  first " + text.Size(viewLimit) + " shown"
	}
	lines = append(lines, st.HeaderFocused.Render(" "+common.FitLeft(head, max(width-2, 0))+" "))
	rows := height - 1
	switch {
	case v.loading:
		lines = append(lines, st.Hint.Render(common.Fit(" loading…", width)))
	case v.lineCount() == 0:
		lines = append(lines, st.Hint.Render(common.Fit(" empty file", width)))
	default:
		end := min(v.top+rows, v.lineCount())
		for i := v.top; i < end; i++ {
			lines = append(lines, common.Fit(v.line(i, width), width))
		}
	}
	blank := strings.Repeat(" ", width)
	for len(lines) < height {
		lines = append(lines, blank)
	}
	return strings.Join(lines[:height], "\n")
}

// line renders line i, sanitised and scrolled sideways, at most width cells.
func (v *viewer) line(i, width int) string {
	var s string
	if v.hex {
		s = hexLine(v.data, i*16)
	} else {
		end := len(v.data)
		if i+1 < len(v.starts) {
			end = v.starts[i+1]
		}
		raw := bytes.TrimRight(v.data[v.starts[i]:end], "\r\n")
		s = text.Sanitize(expandTabs(string(raw)))
	}
	return ansi.Cut(s, v.left, v.left+width)
}

// expandTabs replaces tabs by spaces up to the next multiple of eight.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		if r == '\t' {
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}

// hexLine renders the 16 bytes at off as hexdump -C does.
func hexLine(data []byte, off int) string {
	chunk := data[off:min(off+16, len(data))]
	var b strings.Builder
	fmt.Fprintf(&b, "%08x  ", off)
	for i := range 16 {
		if i < len(chunk) {
			fmt.Fprintf(&b, "%02x ", chunk[i])
		} else {
			b.WriteString("   ")
		}
		if i == 7 {
			b.WriteByte(' ')
		}
	}
	b.WriteString(" |")
	for _, c := range chunk {
		if c >= 0x20 && c < 0x7f {
			b.WriteByte(c)
		} else {
			b.WriteByte('.')
		}
	}
	b.WriteByte('|')
	return b.String()
}
