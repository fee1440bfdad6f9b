package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// isOpsKey reports whether msg is one of the keys of the operations in
// this file's group: chmod -R, chown, chown -R, symlink, new file, directory sizes.
func (o *fileOps) isOpsKey(msg tea.KeyPressMsg) bool {
	k := o.keys
	return key.Matches(msg, k.ChmodRecursive, k.Chown, k.ChownRecursive, k.Symlink, k.NewFile, k.DirSizes)
}

// handleOpsKey starts the operation of msg, one that isOpsKey accepts.
func (o *fileOps) handleOpsKey(msg tea.KeyPressMsg) tea.Cmd {
	k := o.keys
	switch {
	case key.Matches(msg, k.ChmodRecursive):
		return o.startChmod(true)
	case key.Matches(msg, k.Chown):
		return o.startChown(false)
	case key.Matches(msg, k.ChownRecursive):
		return o.startChown(true)
	case key.Matches(msg, k.Symlink):
		return o.startSymlink()
	case key.Matches(msg, k.NewFile):
		return o.startNewFile()
	case key.Matches(msg, k.DirSizes):
		return o.startDirSizes()
	}
	return nil
}
