package tui

import "charm.land/bubbles/v2/key"

// KeyMap holds every key binding of the file manager. The help bar is
// generated from it, so a binding's keys and its help text live in one place.
type KeyMap struct {
	// Up moves the cursor one row up.
	Up key.Binding
	// Down moves the cursor one row down.
	Down key.Binding
	// Open enters the directory under the cursor.
	Open key.Binding
	// Parent goes to the parent directory.
	Parent key.Binding
	// SwitchPane moves the focus to the other pane.
	SwitchPane key.Binding
	// Quit leaves ferry.
	Quit key.Binding
}

// DefaultKeyMap returns ferry's default key bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up: key.NewBinding(
			key.WithKeys("up", "k"),
			key.WithHelp("↑/k", "up"),
		),
		Down: key.NewBinding(
			key.WithKeys("down", "j"),
			key.WithHelp("↓/j", "down"),
		),
		Open: key.NewBinding(
			key.WithKeys("enter"),
			key.WithHelp("enter", "open"),
		),
		Parent: key.NewBinding(
			key.WithKeys("backspace"),
			key.WithHelp("backspace", "parent"),
		),
		SwitchPane: key.NewBinding(
			key.WithKeys("tab"),
			key.WithHelp("tab", "switch pane"),
		),
		Quit: key.NewBinding(
			key.WithKeys("q", "ctrl+c"),
			key.WithHelp("q", "quit"),
		),
	}
}

// ShortHelp returns the bindings shown in the one-line help bar. It
// implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Open, k.Parent, k.SwitchPane, k.Quit}
}

// FullHelp returns the bindings shown in the expanded help, grouped in
// columns. It implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down},
		{k.Open, k.Parent},
		{k.SwitchPane, k.Quit},
	}
}
