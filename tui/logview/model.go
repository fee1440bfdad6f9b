package logview

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/tui/common"
)

// CloseMsg is the overlay's result when the user left it.
type CloseMsg struct {
	// ID is the overlay's.
	ID uint64
}

// Model is the log overlay: every message of the run, oldest first,
// wrapped to the width, opened at the newest.
type Model struct {
	id     uint64
	log    *Log
	keys   *common.KeyMap
	file   string // where the log is written, for the title; "" for nowhere
	top    int    // first line shown; -1 follows the end
	width  int
	height int
}

// New returns log overlay id over log; file names the log file in the
// title ("" when there is none).
func New(id uint64, log *Log, file string, keys *common.KeyMap) *Model {
	return &Model{id: id, log: log, keys: keys, file: file, top: -1}
}

// ID returns the overlay's id.
func (v *Model) ID() uint64 { return v.id }

// SetSize remembers the size of the body.
func (v *Model) SetSize(width, height int) { v.width, v.height = width, height }

// Help returns the overlay's bindings for the help bar.
func (v *Model) Help() help.KeyMap {
	return common.Bindings{
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "scroll")),
		v.keys.PageUp, v.keys.PageDown, v.keys.Top, v.keys.Bottom,
		key.NewBinding(key.WithKeys("esc"), key.WithHelp(v.keys.Cancel.Help().Key+"/"+v.keys.Log.Help().Key, "close")),
	}
}

// Update scrolls on keys and the wheel, and closes on Cancel, Quit or Log.
func (v *Model) Update(msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return v.handleKey(msg)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			v.scroll(-3)
		case tea.MouseWheelDown:
			v.scroll(3)
		}
	}
	return nil
}

// handleKey handles one key press.
func (v *Model) handleKey(msg tea.KeyPressMsg) tea.Msg {
	k := v.keys
	page := max(v.rows()-1, 1)
	switch {
	case key.Matches(msg, k.Cancel), key.Matches(msg, k.Log), key.Matches(msg, k.Quit):
		return CloseMsg{ID: v.id}
	case key.Matches(msg, k.Up):
		v.scroll(-1)
	case key.Matches(msg, k.Down):
		v.scroll(1)
	case key.Matches(msg, k.PageUp):
		v.scroll(-page)
	case key.Matches(msg, k.PageDown):
		v.scroll(page)
	case key.Matches(msg, k.Top):
		v.top = 0
	case key.Matches(msg, k.Bottom):
		v.top = -1
	}
	return nil
}

// rows is how many lines of messages fit under the title.
func (v *Model) rows() int { return max(v.height-1, 0) }

// scroll moves the view by n lines; reaching the end follows it again.
func (v *Model) scroll(n int) {
	lines := len(v.lines(max(v.width, 1)))
	last := max(lines-v.rows(), 0)
	top := v.top
	if top < 0 {
		top = last
	}
	top = max(min(top+n, last), 0)
	v.top = top
	if top == last {
		v.top = -1
	}
}

// line is one screen line of the log and whether it is an error's.
type line struct {
	text string
	err  bool
}

// lines wraps every entry to width cells: the time, then the text, its
// continuation lines indented under the text. Nothing is cut: a word
// longer than the line is broken across lines.
func (v *Model) lines(width int) []line {
	const indent = "          " // under " 15:04:05 "
	var out []line
	for _, e := range v.log.Entries() {
		text := e.Text
		if e.Count > 1 {
			text += "  (×" + strconv.Itoa(e.Count) + ")"
		}
		wrapped := strings.Split(ansi.Wrap(text, max(width-len(indent), 1), ""), "\n")
		for i, w := range wrapped {
			prefix := " " + e.At.Format("15:04:05") + " "
			if i > 0 {
				prefix = indent
			}
			out = append(out, line{text: prefix + w, err: e.Err})
		}
	}
	return out
}

// Screen renders the title and the messages that fit.
func (v *Model) Screen(st *common.Styles, width, height int) string {
	title := " Messages of this run"
	if v.file != "" {
		title += " (also in " + v.file + ")"
	}
	out := []string{st.HeaderFocused.Render(common.Fit(title, width))}
	all := v.lines(width)
	rows := v.rows()
	top := v.top
	if top < 0 || top > max(len(all)-rows, 0) {
		top = max(len(all)-rows, 0)
	}
	if len(all) == 0 {
		out = append(out, st.Hint.Render(common.Fit(" no messages yet", width)))
	}
	for i := top; i < min(top+rows, len(all)); i++ {
		style := st.File
		if all[i].err {
			style = st.StatusError
		}
		out = append(out, style.Render(common.Fit(all[i].text, width)))
	}
	return common.PadLines(out, width, height)
}
