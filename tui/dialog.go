package tui

import (
	"strings"
)

// dialogWidth is the widest a dialog's text gets, in cells.
const dialogWidth = 64

// dialogInner is the text width of a dialog in a window width cells wide.
func dialogInner(width int) int { return min(dialogWidth, max(width-6, 8)) }

// frame draws body (lines exactly inner cells wide) in the dialog border.
func frame(st *Styles, body []string, inner int) []string {
	padded := make([]string, len(body))
	for i, l := range body {
		padded[i] = " " + fitStyled(l, inner) + " "
	}
	return strings.Split(st.Dialog.Render(strings.Join(padded, "\n")), "\n")
}
