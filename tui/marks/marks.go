// Package marks is the bookmark list of ferry's user interface: the
// bookmarks, with a cursor, to jump to one, rename or delete it. It only
// returns what the user asked for (JumpMsg, RenameMsg, DeleteMsg,
// CloseMsg); the root changes the bookmarks, saves them and gives the
// list the new ones (SetBookmarks).
package marks

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/places"
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/common"
)

// JumpMsg asks the root to show bookmark Index in the pane on Side.
type JumpMsg struct {
	// ID is the list's.
	ID uint64
	// Side is the pane the list was opened from.
	Side common.Side
	// Bookmark is the bookmark chosen.
	Bookmark places.Bookmark
}

// RenameMsg asks the root to rename bookmark Index to Name.
type RenameMsg struct {
	// ID is the list's.
	ID uint64
	// Index is the bookmark's, in the list given last.
	Index int
	// Name is the new name, trimmed, not empty.
	Name string
}

// DeleteMsg asks the root to delete bookmark Index.
type DeleteMsg struct {
	// ID is the list's.
	ID uint64
	// Index is the bookmark's, in the list given last.
	Index int
}

// CloseMsg is the list's result when the user left it.
type CloseMsg struct {
	// ID is the list's.
	ID uint64
}

// Model is the bookmark list.
type Model struct {
	id       uint64
	side     common.Side
	keys     *common.KeyMap
	marks    []places.Bookmark
	cursor   int
	renaming bool
	input    common.LineInput
}

// New returns bookmark list id for the pane on side, showing marks.
func New(id uint64, side common.Side, marks []places.Bookmark, keys *common.KeyMap) *Model {
	l := &Model{id: id, side: side, keys: keys}
	l.input.Prompt = "new name: "
	l.SetBookmarks(marks)
	return l
}

// ID returns the list's id.
func (l *Model) ID() uint64 { return l.id }

// Renaming reports whether a new name is being typed.
func (l *Model) Renaming() bool { return l.renaming }

// SetBookmarks shows marks, keeping the cursor where it was.
func (l *Model) SetBookmarks(marks []places.Bookmark) {
	l.marks = marks
	l.cursor = max(min(l.cursor, len(marks)-1), 0)
}

// SetSize fits the rename input to a window width cells wide.
func (l *Model) SetSize(width, _ int) {
	l.input.SetWidth(max(width-ansi.StringWidth(l.input.Prompt)-2, 1))
}

// Help returns the list's bindings for the help bar.
func (l *Model) Help() help.KeyMap {
	if l.renaming {
		return common.Bindings{l.keys.Submit, l.keys.Cancel}
	}
	return common.Bindings{
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose")),
		withDesc(l.keys.Submit, "go there"), l.keys.Rename, l.keys.Delete, withDesc(l.keys.Cancel, "close"),
	}
}

// withDesc is b with another description.
func withDesc(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}

// Update handles a key or a paste.
func (l *Model) Update(msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if l.renaming {
			return l.handleRenameKey(msg)
		}
		return l.handleKey(msg)
	case tea.PasteMsg:
		if l.renaming {
			l.input.Update(msg)
		}
	}
	return nil
}

// handleRenameKey handles a key while the new name is typed.
func (l *Model) handleRenameKey(msg tea.KeyPressMsg) tea.Msg {
	switch {
	case key.Matches(msg, l.keys.Cancel):
		l.renaming = false
	case key.Matches(msg, l.keys.Submit):
		name := strings.TrimSpace(l.input.Value())
		l.renaming = false
		if name != "" && l.cursor < len(l.marks) {
			return RenameMsg{ID: l.id, Index: l.cursor, Name: name}
		}
	default:
		l.input.Update(msg)
	}
	return nil
}

// handleKey handles a key in the list.
func (l *Model) handleKey(msg tea.KeyPressMsg) tea.Msg {
	k := l.keys
	n := len(l.marks)
	switch {
	case key.Matches(msg, k.Cancel), key.Matches(msg, k.Bookmarks), key.Matches(msg, k.Quit):
		return CloseMsg{ID: l.id}
	case n == 0:
	case key.Matches(msg, k.Submit), key.Matches(msg, k.Open):
		return JumpMsg{ID: l.id, Side: l.side, Bookmark: l.marks[l.cursor]}
	case key.Matches(msg, k.Rename):
		l.renaming = true
		l.input.SetValue(l.marks[l.cursor].Name)
	case key.Matches(msg, k.Delete):
		return DeleteMsg{ID: l.id, Index: l.cursor}
	case key.Matches(msg, k.Up):
		l.cursor = max(l.cursor-1, 0)
	case key.Matches(msg, k.Down):
		l.cursor = min(l.cursor+1, n-1)
	case key.Matches(msg, k.Top):
		l.cursor = 0
	case key.Matches(msg, k.Bottom):
		l.cursor = n - 1
	}
	return nil
}

// Screen renders the title, the rename input while it is used, and the
// bookmarks: name, then host:path.
func (l *Model) Screen(st *common.Styles, width, height int) string {
	lines := []string{st.HeaderFocused.Render(common.Fit(" Bookmarks (for the "+l.side.String()+" pane)", width))}
	if l.renaming {
		lines = append(lines, common.FitStyled(" "+l.input.View(&st.Input), width))
	}
	if len(l.marks) == 0 {
		lines = append(lines, st.Hint.Render(common.Fit(" no bookmarks yet: "+l.keys.AddBookmark.Help().Key+" in a pane bookmarks its directory", width)))
	}
	nameW := 0
	for _, b := range l.marks {
		nameW = max(nameW, ansi.StringWidth(text.Sanitize(b.Name)))
	}
	nameW = min(nameW, max(width/3, 1))
	rows := height - len(lines)
	offset := max(l.cursor-rows+1, 0)
	for i := offset; i < min(offset+rows, len(l.marks)); i++ {
		b := l.marks[i]
		name := " " + common.Fit(text.Sanitize(b.Name), nameW)
		where := "  " + text.Sanitize(b.Host) + ":" + text.Sanitize(b.Path)
		if i == l.cursor {
			lines = append(lines, st.Cursor.Render(common.Fit(name+where, width)))
			continue
		}
		lines = append(lines, st.Dir.Render(common.Fit(name, nameW+1))+st.Meta.Render(common.Fit(where, max(width-nameW-1, 0))))
	}
	return common.PadLines(lines, width, height)
}
