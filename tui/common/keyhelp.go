package common

import (
	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

// ShortHelp returns the bindings shown in the one-line help bar. It
// implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Quit, k.Copy, k.Move, k.Delete, k.Mkdir, k.Rename, k.View, k.Edit, k.Filter, k.SwitchPane, k.Hosts}
}

// FullHelp returns the bindings shown in the expanded help, grouped in
// columns. It implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown, k.Open, k.Parent, k.SwitchPane, k.Back, k.Forward},
		{k.Select, k.InvertSelection, k.SelectAll, k.ClearSelection, k.Filter, k.GoTo, k.Home, k.Hosts, k.Hidden, k.Find, k.Bookmarks, k.AddBookmark},
		{k.Copy, k.Move, k.Rename, k.Mkdir, k.Delete, k.View, k.Edit, k.NewFile, k.Symlink},
		{k.Chmod, k.ChmodRecursive, k.Chown, k.ChownRecursive, k.DirSizes, k.Compare, k.Sync, k.Sort, k.Reverse},
		{k.Refresh, k.Queue, k.Log, k.Help, k.Quit, k.ForceQuit},
	}
}

// FullHelpFor returns FullHelp's bindings laid out for a help view width
// cells wide whose columns are sep cells apart: FullHelp's own columns
// when they fit, else every enabled binding in FullHelp's order, in as
// many columns as fit and so as few rows as can be, so that no key is cut
// off in a narrow terminal.
func (k KeyMap) FullHelpFor(width, sep int) [][]key.Binding {
	groups := k.FullHelp()
	if columnsWidth(groups, sep) <= width {
		return groups
	}
	var all []key.Binding
	rows := 0
	for _, g := range groups {
		rows = max(rows, len(g))
		for _, b := range g {
			if b.Enabled() {
				all = append(all, b)
			}
		}
	}
	for ; rows < len(all); rows++ {
		cols := make([][]key.Binding, 0, (len(all)+rows-1)/rows)
		for i := 0; i < len(all); i += rows {
			cols = append(cols, all[i:min(i+rows, len(all))])
		}
		if columnsWidth(cols, sep) <= width {
			return cols
		}
	}
	return [][]key.Binding{all}
}

// columnsWidth is how wide help.Model.FullHelpView draws cols: each
// column its widest key, a space and its widest description, sep cells
// between columns.
func columnsWidth(cols [][]key.Binding, sep int) int {
	total := 0
	for i, col := range cols {
		keyW, descW := 0, 0
		for _, b := range col {
			if b.Enabled() {
				keyW = max(keyW, ansi.StringWidth(b.Help().Key))
				descW = max(descW, ansi.StringWidth(b.Help().Desc))
			}
		}
		if i > 0 {
			total += sep
		}
		total += keyW + 1 + descW
	}
	return total
}

// Bindings is a help.KeyMap over a fixed list, for the help bar of dialogs
// and viewers.
type Bindings []key.Binding

// ShortHelp returns the list.
func (b Bindings) ShortHelp() []key.Binding { return b }

// FullHelp returns the list as one column.
func (b Bindings) FullHelp() [][]key.Binding { return [][]key.Binding{b} }
