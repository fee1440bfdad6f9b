package tui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/pane"
	"github.com/ferry-tui/ferry/tui/queue"
)

// overlay is a component on the stack over the panes: a dialog box drawn
// over what is below, or a screen (viewer, host picker, queue) drawn
// instead of it.
type overlay interface {
	// Help returns the bindings the help bar shows while it has the keys.
	Help() help.KeyMap
}

// boxOverlay is a dialog drawn in a box centred over the panes.
type boxOverlay interface {
	overlay
	// Box renders the dialog's lines, at most maxWidth cells wide each.
	Box(st *Styles, maxWidth int) []string
}

// screenOverlay replaces the panes.
type screenOverlay interface {
	overlay
	// Screen renders exactly height lines of exactly width cells.
	Screen(st *Styles, width, height int) string
}

// dialogBox is a dialog box with an Update of its own.
type dialogBox interface {
	boxOverlay
	Update(msg tea.Msg) tea.Msg
}

// component is an overlay with an Update of its own: it takes key
// presses, pastes and wheel events and returns its typed result message
// for the root to route (nil when there is none).
type component interface {
	overlay
	Update(msg tea.Msg) tea.Msg
}

// sizer is an overlay that wants the window width and the height of the
// body.
type sizer interface {
	SetSize(width, height int)
}

// View renders the whole screen in the alternate screen buffer with mouse
// reporting on.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = windowTitle(m.focused())
	return v
}

// render draws the body, the transfer strip, the status line and the help
// bar, each line exactly as wide as the window.
func (m *Model) render() string {
	if m.width == 0 || m.height == 0 {
		return ""
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.bodyLines()...)
	if m.xfer.shown {
		lines = append(lines, m.styles.Strip.Render(common.Fit(queue.StripText(m.xfer.snap), m.width)))
	}
	lines = append(lines, m.statusLine())
	lines = append(lines, m.helpBar()...)
	if len(lines) > m.height {
		lines = lines[len(lines)-m.height:]
	}
	return strings.Join(lines, "\n")
}

// bodyLines renders the panes, or the overlay that replaces them, with any
// dialog box on top.
func (m *Model) bodyLines() []string {
	h := m.bodyHeight()
	if h == 0 {
		return nil
	}
	// The topmost screen, or the panes, with the boxes above it on top.
	base := -1
	for i, o := range m.stack.items {
		if _, ok := o.(screenOverlay); ok {
			base = i
		}
	}
	var lines []string
	if base >= 0 {
		lines = strings.Split(m.stack.items[base].(screenOverlay).Screen(&m.styles, m.width, h), "\n")
	} else {
		lines = paneLines(&m.panes, &m.styles, m.now(), h)
	}
	for _, o := range m.stack.items[base+1:] {
		if bo, ok := o.(boxOverlay); ok {
			lines = common.SpliceBox(lines, bo.Box(&m.styles, max(m.width-2, 1)), m.width)
		}
	}
	if m.questions.cur != nil { // over everything, dialogs included
		box := m.questions.cur.dialog.Box(&m.styles, max(m.width-2, 1))
		lines = common.SpliceBox(lines, box, m.width)
	}
	return lines
}

// paneLines renders both panes side by side, h lines, with now deciding
// how times show.
func paneLines(panes *[2]pane.Model, st *Styles, now time.Time, h int) []string {
	left := strings.Split(panes[leftSide].View(st, now), "\n")
	right := strings.Split(panes[rightSide].View(st, now), "\n")
	sep := st.Separator.Render("│")
	lines := make([]string, h)
	for i := range h {
		lines[i] = common.LineAt(left, i) + sep + common.LineAt(right, i)
	}
	return lines
}

// statusLine is the filter input while filtering, else the status message,
// else what is wrong with a connection.
func (m *Model) statusLine() string {
	if m.filter.active {
		return common.FitStyled(m.filter.input.View(&m.styles.Input), m.width)
	}
	if m.status.text == "" {
		if line := m.conns.line(m.width, m.keysToList()); line != "" {
			return m.styles.StatusError.Render(common.Fit(line, m.width))
		}
	}
	return m.status.View(&m.styles, m.width)
}

// helpBar renders the help for what has the keys, helpLines lines tall.
func (m *Model) helpBar() []string {
	var text string
	switch {
	case m.questions.cur != nil:
		text = shortHelp(m.help, m.questions.cur.dialog.Help().ShortHelp(), m.width)
	case m.stack.top() != nil:
		text = shortHelp(m.help, m.stack.top().Help().ShortHelp(), m.width)
	case m.filter.active:
		text = shortHelp(m.help, m.filter.help(), m.width)
	case m.help.ShowAll:
		text = m.help.FullHelpView(m.fullHelp())
	default:
		text = shortHelp(m.help, m.keys.ShortHelp(), m.width)
	}
	lines := strings.Split(text, "\n")
	out := make([]string, m.helpLines)
	for i := range out {
		out[i] = common.FitStyled(common.LineAt(lines, i), m.width)
	}
	return out
}

// fullHelp returns the key map's full help laid out for the window's
// width, every key shown.
func (m *Model) fullHelp() [][]key.Binding {
	return m.keys.FullHelpFor(m.width, ansi.StringWidth(m.help.FullSeparator))
}

// shortHelp renders as many of bs as fit in one line, ending in "…" when
// some were left out.
func shortHelp(h help.Model, bs []key.Binding, width int) string {
	sepW := ansi.StringWidth(h.ShortSeparator)
	ends := make([]int, len(bs)) // width of bs[:i+1]
	total := 0
	for i, b := range bs {
		if i > 0 {
			total += sepW
		}
		total += ansi.StringWidth(b.Help().Key) + 1 + ansi.StringWidth(b.Help().Desc)
		ends[i] = total
	}
	n := len(bs)
	for n > 0 && ends[n-1] > width {
		n--
	}
	cut := n < len(bs)
	for cut && n > 0 && ends[n-1]+2 > width { // room for " …"
		n--
	}
	h.SetWidth(0)
	s := h.ShortHelpView(bs[:n])
	if cut {
		s += " " + h.Styles.Ellipsis.Render(h.Ellipsis)
	}
	return s
}

// windowTitle names the location of p, the focused pane.
func windowTitle(p *pane.Model) string {
	if p.FS() == nil || p.Path() == "" {
		return "ferry"
	}
	return "ferry " + p.Label()
}
