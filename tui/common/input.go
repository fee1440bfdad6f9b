package common

import (
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// LineInput is a one-line text input: a prompt, the text, a cursor. Only
// printable runes can be typed or pasted, so its text is always safe to
// draw. With Mask set every rune shows as a bullet, for secrets.
type LineInput struct {
	// Prompt is drawn before the text, such as "> ".
	Prompt string
	// Placeholder is shown while the text is empty.
	Placeholder string
	// Mask shows every rune as a bullet, for secrets.
	Mask bool

	value  []rune
	pos    int // cursor, in runes
	offset int // first rune shown, so the cursor stays visible
	width  int // cells for the text; 0 means unlimited
}

// SetValue replaces the text, dropping what cannot be shown, and puts the
// cursor at the end.
func (in *LineInput) SetValue(s string) {
	in.value = in.value[:0]
	in.insert(s)
}

// Value returns the text.
func (in *LineInput) Value() string { return string(in.value) }

// SetWidth sets how many cells the text may take.
func (in *LineInput) SetWidth(w int) {
	in.width = max(w, 1)
	in.follow()
}

// insert adds the printable runes of s at the cursor.
func (in *LineInput) insert(s string) {
	var add []rune
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			add = append(add, ' ')
		case unicode.IsPrint(r) || r == ' ':
			add = append(add, r)
		}
	}
	in.pos = min(in.pos, len(in.value))
	tail := append(add, in.value[in.pos:]...)
	in.value = append(in.value[:in.pos], tail...)
	in.pos += len(add)
	in.follow()
}

// Update edits the text for a key press or a paste.
func (in *LineInput) Update(msg tea.Msg) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		in.insert(msg.Content)
	case tea.KeyPressMsg:
		in.handleKey(msg)
	}
}

// handleKey applies one editing key, or types the key's text.
func (in *LineInput) handleKey(msg tea.KeyPressMsg) {
	switch msg.String() {
	case "left", "ctrl+b":
		in.pos = max(in.pos-1, 0)
	case "right", "ctrl+f":
		in.pos = min(in.pos+1, len(in.value))
	case "home", "ctrl+a":
		in.pos = 0
	case "end", "ctrl+e":
		in.pos = len(in.value)
	case "backspace", "ctrl+h":
		if in.pos > 0 {
			in.value = append(in.value[:in.pos-1], in.value[in.pos:]...)
			in.pos--
		}
	case "delete", "ctrl+d":
		if in.pos < len(in.value) {
			in.value = append(in.value[:in.pos], in.value[in.pos+1:]...)
		}
	case "ctrl+u":
		in.value = append(in.value[:0], in.value[in.pos:]...)
		in.pos = 0
	case "ctrl+k":
		in.value = in.value[:in.pos]
	case "ctrl+w", "alt+backspace":
		start := in.pos
		for start > 0 && in.value[start-1] == ' ' {
			start--
		}
		for start > 0 && in.value[start-1] != ' ' {
			start--
		}
		in.value = append(in.value[:start], in.value[in.pos:]...)
		in.pos = start
	default:
		if msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModMeta|tea.ModSuper|tea.ModHyper) == 0 {
			in.insert(msg.Text)
		}
	}
	in.follow()
}

// follow scrolls the text so the cursor is visible.
func (in *LineInput) follow() {
	in.pos = max(min(in.pos, len(in.value)), 0)
	if in.pos < in.offset {
		in.offset = in.pos
	}
	if in.width <= 0 {
		in.offset = 0
		return
	}
	for in.offset < in.pos && in.cells(in.offset, in.pos)+1 > in.width {
		in.offset++
	}
}

// cells is the width of value[from:to] as shown.
func (in *LineInput) cells(from, to int) int {
	if in.Mask {
		return to - from
	}
	return ansi.StringWidth(string(in.value[from:to]))
}

// shown returns value[from:to] as drawn.
func (in *LineInput) shown(from, to int) string {
	if in.Mask {
		return strings.Repeat("•", to-from)
	}
	return string(in.value[from:to])
}

// View renders the prompt, the visible text and the cursor.
func (in *LineInput) View(st *InputStyles) string {
	var b strings.Builder
	b.WriteString(st.Prompt.Render(in.Prompt))
	if len(in.value) == 0 {
		b.WriteString(st.Cursor.Render(" "))
		if in.Placeholder != "" {
			b.WriteString(st.Placeholder.Render(in.Placeholder))
		}
		return b.String()
	}
	end := len(in.value)
	if in.width > 0 {
		for end > in.pos+1 && in.cells(in.offset, end) > in.width {
			end--
		}
	}
	b.WriteString(st.Text.Render(in.shown(in.offset, in.pos)))
	if in.pos < len(in.value) {
		b.WriteString(st.Cursor.Render(in.shown(in.pos, in.pos+1)))
		b.WriteString(st.Text.Render(in.shown(in.pos+1, end)))
	} else {
		b.WriteString(st.Cursor.Render(" "))
	}
	return b.String()
}
