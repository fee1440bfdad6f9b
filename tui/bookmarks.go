package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/places"
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/marks"
	"github.com/ferry-tui/ferry/tui/picker"
)

// localLabel is the label of this computer's file system.
const localLabel = "local"

// addBookmark bookmarks the focused pane's directory.
func (m *Model) addBookmark() tea.Cmd {
	p := m.focused()
	if p.FS() == nil || !p.Loaded() {
		m.status.setInfo("no directory to bookmark in this pane")
		return nil
	}
	host := p.FS().Label()
	b := places.Bookmark{Host: host, Local: host == localLabel, Path: p.Path(), Name: p.FS().Base(p.Path())}
	if b.Name == "" || b.Name == p.FS().Separator() || b.Name == "." {
		b.Name = b.Path
	}
	if i := m.places.p.Find(b.Host, b.Path); i >= 0 {
		m.status.setInfo(p.Label() + " is bookmarked already, as " + text.Sanitize(m.places.p.Bookmarks[i].Name))
		return nil
	}
	m.status.setInfo("bookmarked " + p.Label() + " as " + text.Sanitize(b.Name) + " (" + m.keys.Bookmarks.Help().Key + " lists the bookmarks)")
	return m.places.apply(func(p *places.Places) { p.Add(b) })
}

// openBookmarks shows the bookmark list for the focused pane.
func (m *Model) openBookmarks() tea.Cmd {
	m.stack.push(marks.New(m.ids.next(), m.focus, m.places.p.Bookmarks, &m.keys))
	return nil
}

// marksOverlay returns the bookmark list with id, if on top.
func (m *Model) marksOverlay(id uint64) (*marks.Model, bool) {
	l, ok := topIs[*marks.Model](&m.stack)
	return l, ok && l.ID() == id
}

// handleMarksRename renames a bookmark and saves.
func (m *Model) handleMarksRename(msg marks.RenameMsg) tea.Cmd {
	l, ok := m.marksOverlay(msg.ID)
	bs := m.places.p.Bookmarks
	if !ok || msg.Index < 0 || msg.Index >= len(bs) {
		return nil
	}
	host, path, name := bs[msg.Index].Host, bs[msg.Index].Path, msg.Name
	cmd := m.places.apply(func(p *places.Places) { p.Rename(host, path, name) })
	l.SetBookmarks(m.places.p.Bookmarks)
	return cmd
}

// handleMarksDelete deletes a bookmark and saves.
func (m *Model) handleMarksDelete(msg marks.DeleteMsg) tea.Cmd {
	l, ok := m.marksOverlay(msg.ID)
	bs := m.places.p.Bookmarks
	if !ok || msg.Index < 0 || msg.Index >= len(bs) {
		return nil
	}
	m.status.setInfo("deleted the bookmark " + text.Sanitize(bs[msg.Index].Name))
	host, path := bs[msg.Index].Host, bs[msg.Index].Path
	cmd := m.places.apply(func(p *places.Places) { p.Delete(host, path) })
	l.SetBookmarks(m.places.p.Bookmarks)
	return cmd
}

// handleMarksClose closes the bookmark list.
func (m *Model) handleMarksClose(msg marks.CloseMsg) tea.Cmd {
	if l, ok := m.marksOverlay(msg.ID); ok {
		return m.closed(l)
	}
	return nil
}

// handleMarksJump shows the bookmark's directory in the pane: on the file
// system it shows already, or the other pane's, when it is the
// bookmark's host; else through the host picker's connection, as if
// host:path had been picked.
func (m *Model) handleMarksJump(msg marks.JumpMsg) tea.Cmd {
	l, ok := m.marksOverlay(msg.ID)
	if !ok || !msg.Side.Valid() {
		return nil
	}
	b := msg.Bookmark
	m.stack.remove(l)
	p := &m.panes[msg.Side]
	other := m.panes[msg.Side.Other()].FS()
	switch {
	case p.FS() != nil && p.FS().Label() == b.Host:
		m.setFocus(msg.Side)
		return tea.Batch(p.Load(b.Path, ""), m.offerConflict())
	case other != nil && other.Label() == b.Host:
		return tea.Batch(m.replaceFSAt(msg.Side, other, b.Path, false), m.offerConflict())
	case b.Local:
		if m.opts.Local == nil {
			m.status.setInfo("this computer's files cannot be opened here")
			return m.offerConflict()
		}
		return tea.Batch(m.replaceFSAt(msg.Side, m.opts.Local, b.Path, false), m.offerConflict())
	}
	cmd := m.hosts.openPicker(msg.Side)
	pk, ok := topIs[*picker.Model](&m.stack)
	if !ok {
		return cmd
	}
	pk.SetPlaces(m.places.p.Recent, m.places.p.Bookmarks)
	return tea.Batch(cmd, m.hosts.handlePick(picker.PickMsg{ID: pk.ID(), Side: msg.Side,
		Alias: b.Host + ":" + b.Path, Label: text.Sanitize(b.Host + ":" + b.Path)}))
}

// shownFS returns the file system a pane shows with label, nil when
// none does.
func (m *Model) shownFS(label string) transfer.FS {
	for i := range m.panes {
		if fsys := m.panes[i].FS(); fsys != nil && fsys.Label() == label {
			return fsys
		}
	}
	return nil
}
