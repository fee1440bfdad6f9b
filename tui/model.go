// Package tui is ferry's terminal user interface: two file panes side by
// side, a status line and a help bar, built on Bubble Tea v2.
//
// The package never touches a disk or the network itself: every listing goes
// through a transfer.FS inside a tea.Cmd, and every string that came from a
// disk or a server passes through Sanitize before it is measured or drawn.
package tui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/transfer"
)

// Options configures a Model.
type Options struct {
	// Left and Right are the file systems shown in the two panes. The left
	// pane has the focus at start. A nil file system leaves its pane empty.
	Left, Right transfer.FS
	// LeftDir and RightDir are the directories the panes start in; empty
	// means the file system's Home.
	LeftDir, RightDir string
	// Now returns the current time; it decides whether modification times
	// show the clock or the year, and in which time zone. Nil means
	// time.Now. Tests inject a fixed clock.
	Now func() time.Time
}

// Model is the root Bubble Tea model of the file manager. Create it with New;
// it implements tea.Model.
type Model struct {
	ctx    context.Context // parent of every request; cancelled on quit
	cancel context.CancelFunc

	panes     [2]pane
	startDirs [2]string
	focus     side

	keys   KeyMap
	styles Styles
	help   help.Model
	status status
	now    func() time.Time

	width, height int
}

// New returns the root model for opts. It does no I/O: the first listings
// start from Init.
func New(opts Options) *Model {
	ctx, cancel := context.WithCancel(context.Background())
	keys := DefaultKeyMap()
	m := &Model{
		ctx:       ctx,
		cancel:    cancel,
		startDirs: [2]string{opts.LeftDir, opts.RightDir},
		focus:     leftSide,
		keys:      keys,
		help:      help.New(),
		now:       opts.Now,
	}
	if m.now == nil {
		m.now = time.Now
	}
	m.panes[leftSide] = newPane(ctx, opts.Left, leftSide, keys)
	m.panes[rightSide] = newPane(ctx, opts.Right, rightSide, keys)
	m.panes[leftSide].setFocused(true)
	m.setStyles(DefaultStyles(true)) // until the terminal tells us its background
	return m
}

// Init asks the terminal for its background colour and starts listing both
// panes' start directories.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(
		tea.RequestBackgroundColor,
		m.panes[leftSide].load(m.startDirs[leftSide], ""),
		m.panes[rightSide].load(m.startDirs[rightSide], ""),
	)
}

// Update handles one message and returns the next Cmd to run.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.handleResize(msg)
	case tea.BackgroundColorMsg:
		m.handleBackgroundColor(msg)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case dirLoadedMsg:
		m.handleDirLoaded(msg)
	}
	return m, nil
}

// handleResize gives both panes their share of the window: the panes split
// the width around a one-column separator, above the status and help lines.
func (m *Model) handleResize(msg tea.WindowSizeMsg) {
	m.width, m.height = max(msg.Width, 0), max(msg.Height, 0)
	bodyHeight := max(m.height-2, 0)
	leftWidth := max(m.width-1, 0) / 2
	rightWidth := max(m.width-1-leftWidth, 0)
	m.panes[leftSide].setSize(leftWidth, bodyHeight)
	m.panes[rightSide].setSize(rightWidth, bodyHeight)
	m.help.SetWidth(m.width)
}

// handleBackgroundColor rebuilds the styles for a dark or light terminal.
func (m *Model) handleBackgroundColor(msg tea.BackgroundColorMsg) {
	m.setStyles(DefaultStyles(msg.IsDark()))
}

// handleKey handles the global keys and passes the rest to the focused pane.
// Any key clears the status line.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	m.status.clear()
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m.quit()
	case key.Matches(msg, m.keys.SwitchPane):
		m.setFocus(m.focus.other())
		return nil
	}
	return m.panes[m.focus].Update(msg)
}

// handleDirLoaded routes a listing to the pane that asked for it and shows
// its error, if any.
func (m *Model) handleDirLoaded(msg dirLoadedMsg) {
	if msg.side != leftSide && msg.side != rightSide {
		return
	}
	if err := m.panes[msg.side].handleLoaded(msg); err != nil {
		m.status.setError(err)
	}
}

// quit cancels every running request and ends the program.
func (m *Model) quit() tea.Cmd {
	for i := range m.panes {
		m.panes[i].close()
	}
	m.cancel()
	return tea.Quit
}

// setFocus gives the keys to the pane on side s.
func (m *Model) setFocus(s side) {
	m.focus = s
	m.panes[leftSide].setFocused(s == leftSide)
	m.panes[rightSide].setFocused(s == rightSide)
}

// setStyles installs st everywhere it is used.
func (m *Model) setStyles(st Styles) {
	m.styles = st
	m.help.Styles = st.Help
}

// View renders the whole screen in the alternate screen buffer.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = m.windowTitle()
	return v
}

// render draws the panes, the status line and the help bar, each line
// exactly as wide as the window.
func (m *Model) render() string {
	if m.width == 0 || m.height == 0 {
		return ""
	}
	now := m.now()
	lines := make([]string, 0, m.height)
	if bodyHeight := m.panes[leftSide].height; bodyHeight > 0 {
		left := strings.Split(m.panes[leftSide].View(m.styles, now), "\n")
		right := strings.Split(m.panes[rightSide].View(m.styles, now), "\n")
		sep := m.styles.Separator.Render("│")
		for i := range bodyHeight {
			lines = append(lines, lineAt(left, i)+sep+lineAt(right, i))
		}
	}
	lines = append(lines, m.status.View(m.styles, m.width))
	// help.Model can overflow a very narrow window: cut what it leaves.
	helpLine := ansi.Truncate(m.help.View(m.keys), m.width, "")
	if w := ansi.StringWidth(helpLine); w < m.width {
		helpLine += strings.Repeat(" ", m.width-w)
	}
	lines = append(lines, helpLine)
	if len(lines) > m.height {
		lines = lines[len(lines)-m.height:]
	}
	return strings.Join(lines, "\n")
}

// windowTitle names the focused pane's location.
func (m *Model) windowTitle() string {
	p := &m.panes[m.focus]
	if p.fs == nil || p.path == "" {
		return "ferry"
	}
	return "ferry " + Sanitize(p.fs.Label()) + ":" + Sanitize(p.path)
}

// lineAt returns lines[i], or "" past the end.
func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}
