package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Dialog text widths, in cells. A dialog's box is four cells wider than
// its text (border and padding) and leaves at least four cells of the
// window free on each side.
const (
	// DialogWidth is the narrowest a dialog's text gets when the window
	// has room: short questions all look alike.
	DialogWidth = 64
	// DialogMaxWidth is the widest a dialog's text gets, on any window:
	// the box is then 100 cells wide.
	DialogMaxWidth = 96
)

// DialogInner is the widest text of a dialog in a window width cells
// wide: the window less eight cells of margin and four of frame, up to
// DialogMaxWidth.
func DialogInner(width int) int { return min(DialogMaxWidth, max(width-12, 8)) }

// DialogFit is the text width of a dialog whose widest line is content
// cells wide, in a window width cells wide: at least DialogWidth, at most
// DialogInner. Longer lines wrap (Wrap).
func DialogFit(width, content int) int {
	return min(DialogInner(width), max(DialogWidth, content))
}

// WrapAll wraps each of lines to w cells (Wrap).
func WrapAll(lines []string, w int) []string {
	var out []string
	for _, l := range lines {
		out = append(out, Wrap(l, w)...)
	}
	return out
}

// Widest is the width of the widest of lines.
func Widest(lines ...string) int {
	w := 0
	for _, l := range lines {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

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
