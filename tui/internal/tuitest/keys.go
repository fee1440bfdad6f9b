// Package tuitest helps the tests of ferry's UI packages: it builds the key
// presses a terminal would send.
package tuitest

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// Key builds the key press that msg.String() reports as s.
func Key(s string) tea.KeyPressMsg {
	switch s {
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "insert":
		return tea.KeyPressMsg{Code: tea.KeyInsert}
	case "delete":
		return tea.KeyPressMsg{Code: tea.KeyDelete}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "ctrl+space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Mod: tea.ModCtrl}
	case "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10":
		n := int(s[1] - '0')
		if len(s) == 3 {
			n = 10
		}
		return tea.KeyPressMsg{Code: tea.KeyF1 + rune(n-1)}
	}
	if rest, ok := strings.CutPrefix(s, "alt+"); ok && rest != "" {
		k := Key(rest)
		k.Mod |= tea.ModAlt
		k.Text = ""
		return k
	}
	if rest, ok := strings.CutPrefix(s, "ctrl+"); ok && len(rest) == 1 {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModCtrl}
	}
	if len(s) == 1 && s[0] >= 'A' && s[0] <= 'Z' {
		return tea.KeyPressMsg{Code: rune(s[0] + 'a' - 'A'), ShiftedCode: rune(s[0]), Text: s, Mod: tea.ModShift}
	}
	r := []rune(s)
	if len(r) != 1 {
		panic("tuitest.Key: unknown key " + s)
	}
	return tea.KeyPressMsg{Code: r[0], Text: s}
}
