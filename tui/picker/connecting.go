package picker

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/tui/common"
)

// CancelMsg is the Connecting screen's result when the user gives up on
// attempt ID.
type CancelMsg struct {
	// ID is the attempt's.
	ID uint64
}

// Connecting is the screen shown while the root opens a host: "connecting
// to ALIAS…" and the warnings the attempt gave. Questions the attempt asks
// are dialogs the root lays over it.
type Connecting struct {
	id       uint64
	alias    string // sanitised
	side     common.Side
	keys     *common.KeyMap
	warnings []string // sanitised
}

// NewConnecting returns the screen of attempt id to open alias (sanitised)
// in the pane on side.
func NewConnecting(id uint64, alias string, side common.Side, keys *common.KeyMap) *Connecting {
	return &Connecting{id: id, alias: alias, side: side, keys: keys}
}

// ID returns the attempt's id.
func (c *Connecting) ID() uint64 { return c.id }

// Alias returns the host being opened, sanitised.
func (c *Connecting) Alias() string { return c.alias }

// Side returns the pane the host is for.
func (c *Connecting) Side() common.Side { return c.side }

// Warn adds a warning (sanitised) below the connecting line.
func (c *Connecting) Warn(w string) { c.warnings = append(c.warnings, w) }

// LastWarning returns the latest warning, or "".
func (c *Connecting) LastWarning() string {
	if len(c.warnings) == 0 {
		return ""
	}
	return c.warnings[len(c.warnings)-1]
}

// Help returns the screen's bindings for the help bar.
func (c *Connecting) Help() help.KeyMap { return common.Bindings{c.keys.Cancel} }

// Update gives up on Esc: it returns a CancelMsg.
func (c *Connecting) Update(msg tea.Msg) tea.Msg {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, c.keys.Cancel) {
		return CancelMsg{ID: c.id}
	}
	return nil
}

// Screen renders "connecting to ALIAS…" and any warnings.
func (c *Connecting) Screen(st *common.Styles, width, height int) string {
	lines := []string{st.HeaderFocused.Render(common.Fit(" Open a host in the "+c.side.String()+" pane", width)), ""}
	lines = append(lines, common.Fit("  connecting to "+c.alias+"…", width))
	for _, w := range c.warnings {
		lines = append(lines, st.Hint.Render(common.Fit("  "+w, width)))
	}
	for i := range lines {
		lines[i] = common.FitStyled(lines[i], width)
	}
	return common.PadLines(lines, width, height)
}
