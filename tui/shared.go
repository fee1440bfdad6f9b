package tui

import "github.com/ferry-tui/ferry/tui/common"

// KeyMap holds every key binding of the file manager; see common.KeyMap.
// Options.KeyMap replaces the defaults.
type KeyMap = common.KeyMap

// Theme is the small set of semantic colours every style is derived from;
// see common.Theme. Options.Theme replaces the defaults.
type Theme = common.Theme

// Styles holds every style the UI draws with; see common.Styles.
type Styles = common.Styles

// InputStyles styles a text input; see common.InputStyles.
type InputStyles = common.InputStyles

// side names a pane.
type side = common.Side

// The two panes.
const (
	leftSide  = common.Left
	rightSide = common.Right
)
