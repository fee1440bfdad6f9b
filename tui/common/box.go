package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// DialogWidth is the widest a dialog's text gets, in cells.
const DialogWidth = 64

// DialogInner is the text width of a dialog in a window width cells wide.
func DialogInner(width int) int { return min(DialogWidth, max(width-6, 8)) }

// Frame draws body (lines exactly inner cells wide) in the dialog border.
func Frame(st *Styles, body []string, inner int) []string {
	padded := make([]string, len(body))
	for i, l := range body {
		padded[i] = " " + FitStyled(l, inner) + " "
	}
	return strings.Split(st.Dialog.Render(strings.Join(padded, "\n")), "\n")
}

// SpliceBox draws box centred over lines, which are each width cells wide.
func SpliceBox(lines, box []string, width int) []string {
	if len(box) == 0 || len(lines) == 0 {
		return lines
	}
	bw := 0
	for _, l := range box {
		bw = max(bw, ansi.StringWidth(l))
	}
	bw = min(bw, width)
	x := (width - bw) / 2
	y := max((len(lines)-len(box))/2, 0)
	for i, l := range box {
		if y+i >= len(lines) {
			break
		}
		bg := lines[y+i]
		// A wide character cut in half leaves a gap: fill it with spaces.
		left, right := ansi.Cut(bg, 0, x), ansi.Cut(bg, x+bw, width)
		left += strings.Repeat(" ", max(x-ansi.StringWidth(left), 0))
		right = strings.Repeat(" ", max(width-x-bw-ansi.StringWidth(right), 0)) + right
		lines[y+i] = left + "\x1b[m" + FitStyled(l, bw) + "\x1b[m" + right
	}
	return lines
}
