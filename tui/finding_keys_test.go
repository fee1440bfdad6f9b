package tui

import (
	"testing"

	"charm.land/bubbles/v2/key"

	"github.com/ferry-tui/ferry/tui/common"
)

func TestFindingKeysDoNotClash(t *testing.T) {
	t.Parallel()
	k := common.DefaultKeyMap()
	main := []key.Binding{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown, k.Open, k.Parent, k.SwitchPane,
		k.Select, k.InvertSelection, k.SelectAll, k.ClearSelection, k.Copy, k.Move, k.Rename, k.Mkdir, k.Delete,
		k.View, k.Edit, k.Chmod, k.Filter, k.GoTo, k.Home, k.Hidden, k.Sort, k.Reverse, k.Refresh, k.Hosts,
		k.Queue, k.Help, k.Quit, k.ForceQuit,
		k.Back, k.Forward, k.Find, k.Bookmarks, k.AddBookmark, k.Log}
	seen := map[string]string{}
	for _, b := range main {
		for _, x := range b.Keys() {
			if other, ok := seen[x]; ok {
				t.Errorf("%q is bound to both %q and %q", x, other, b.Help().Desc)
			}
			seen[x] = b.Help().Desc
		}
	}
}
