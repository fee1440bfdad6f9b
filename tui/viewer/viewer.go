// Package viewer is the file viewer of ferry's user interface: it shows
// the first MiB of a file as text, with control characters escaped, or
// as a hex dump when the data looks binary. It reads the file through a
// transfer.FS inside a tea.Cmd (Read) and never touches a disk itself.
package viewer

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"unicode/utf8"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
)

// Limit is how much of a file the viewer reads.
const Limit = 1 << 20

// wheelRows is how far one wheel notch scrolls.
const wheelRows = 3

// LoadedMsg carries the start of a file to the viewer that asked for it.
type LoadedMsg struct {
	// ID is the viewer's.
	ID uint64
	// Data is the file's first Limit bytes at most.
	Data []byte
	// Truncated says the file is longer than Limit.
	Truncated bool
	// Err is why the file could not be read.
	Err error
}

// CloseMsg is the viewer's result: the user closed viewer ID.
type CloseMsg struct {
	// ID is the viewer's.
	ID uint64
}

// Model shows the first MiB of a file. Create it with New; the root feeds
// it a LoadedMsg and sends it keys and wheel events.
type Model struct {
	id      uint64
	keys    *common.KeyMap
	title   string // sanitised "label:/path"
	size    int64  // as listed
	loading bool
	height  int // of the screen, header included

	data      []byte
	truncated bool
	hex       bool
	starts    []int // text: offset of each line
	top       int   // first line shown
	left      int   // cells scrolled to the right
}

// New returns a viewer with id for a file of size bytes, titled title
// (sanitised), loading until Load.
func New(id uint64, title string, size int64, keys *common.KeyMap) *Model {
	return &Model{id: id, keys: keys, title: title, size: size, loading: true}
}

// Read returns a Cmd reading the first Limit bytes of name for viewer id.
func Read(ctx context.Context, fsys transfer.FS, name string, id uint64) tea.Cmd {
	return func() tea.Msg {
		r, err := fsys.Open(ctx, name)
		if err != nil {
			return LoadedMsg{ID: id, Err: err}
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, Limit+1))
		if err != nil {
			return LoadedMsg{ID: id, Err: fmt.Errorf("read %s: %w", name, err)}
		}
		truncated := len(data) > Limit
		if truncated {
			data = data[:Limit]
		}
		return LoadedMsg{ID: id, Data: data, Truncated: truncated}
	}
}

// ID returns the viewer's id.
func (v *Model) ID() uint64 { return v.id }

// Load shows the data of msg, which must be the viewer's (msg.ID); an
// error is the root's to report, and the viewer's to be closed.
func (v *Model) Load(msg LoadedMsg) {
	v.loading = false
	if msg.Err != nil {
		return
	}
	v.data, v.truncated = msg.Data, msg.Truncated
	v.hex = isBinary(msg.Data)
	if !v.hex {
		v.starts = lineStarts(msg.Data)
	}
}

// SetSize tells the viewer how many lines it has, header included.
func (v *Model) SetSize(_, height int) { v.height = height }

// Help returns the viewer's bindings for the help bar.
func (v *Model) Help() help.KeyMap {
	k := v.keys
	return common.Bindings{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.ScrollLeft, k.ScrollRight, k.CloseViewer}
}

// Update scrolls on keys and the wheel; it returns a CloseMsg when the
// user closes the viewer, else nil.
func (v *Model) Update(msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return v.handleKey(msg)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			v.scroll(-wheelRows)
		case tea.MouseWheelDown:
			v.scroll(wheelRows)
		}
	}
	return nil
}

// handleKey scrolls or closes the viewer.
func (v *Model) handleKey(msg tea.KeyPressMsg) tea.Msg {
	k := v.keys
	page := max(v.rows()-1, 1)
	switch {
	case key.Matches(msg, k.CloseViewer):
		return CloseMsg{ID: v.id}
	case key.Matches(msg, k.Up):
		v.scroll(-1)
	case key.Matches(msg, k.Down):
		v.scroll(1)
	case key.Matches(msg, k.PageUp):
		v.scroll(-page)
	case key.Matches(msg, k.PageDown), msg.String() == "space":
		v.scroll(page)
	case key.Matches(msg, k.Top):
		v.top = 0
	case key.Matches(msg, k.Bottom):
		v.scroll(v.lineCount())
	case key.Matches(msg, k.ScrollLeft):
		v.left = max(v.left-8, 0)
	case key.Matches(msg, k.ScrollRight):
		v.left += 8
	}
	return nil
}

// rows is how many lines of the file fit below the header.
func (v *Model) rows() int { return max(v.height-1, 1) }

// scroll moves the view by delta lines.
func (v *Model) scroll(delta int) {
	v.top = max(min(v.top+delta, v.lineCount()-v.rows()), 0)
}

// lineCount is how many lines the viewer scrolls over.
func (v *Model) lineCount() int {
	if v.hex {
		return (len(v.data) + 15) / 16
	}
	return len(v.starts)
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
