package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Ellipsis marks text that was cut to fit.
const Ellipsis = "…"

// Fit cuts s to at most w cells, ending it with an ellipsis when cut, and
// pads it with spaces to exactly w cells. s must be sanitised plain text.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, Ellipsis)
		sw = ansi.StringWidth(s)
	}
	return s + strings.Repeat(" ", w-sw)
}

// FitLeft is Fit for paths: it keeps the end of s and cuts the start.
func FitLeft(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw <= w {
		return s + strings.Repeat(" ", w-sw)
	}
	// Wide characters can make TruncateLeft keep one cell too many; drop
	// more until it fits.
	for n := sw - w + 1; n <= sw; n++ {
		cut := ansi.TruncateLeft(s, n, Ellipsis)
		if cw := ansi.StringWidth(cut); cw <= w && strings.HasPrefix(cut, Ellipsis) {
			return cut + strings.Repeat(" ", w-cw)
		}
	}
	return Fit(Ellipsis, w)
}

// FitStyled cuts or pads styled text to exactly w cells.
func FitStyled(s string, w int) string {
	s = ansi.Truncate(s, w, "")
	if sw := ansi.StringWidth(s); sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// AlignRight pads s on the left to w cells; s must already fit.
func AlignRight(s string, w int) string {
	if sw := ansi.StringWidth(s); sw < w {
		return strings.Repeat(" ", w-sw) + s
	}
	return s
}

// Bar draws a bar of width cells, the first filled of them full.
func Bar(filled, width int) string {
	return strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
}

// WrapWords joins words with sep into lines at most width cells wide.
func WrapWords(words []string, sep string, width int) []string {
	var lines []string
	cur := ""
	for _, w := range words {
		switch {
		case cur == "":
			cur = w
		case ansi.StringWidth(cur+sep+w) <= width:
			cur += sep + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// LineAt returns lines[i], or "" past the end.
func LineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}

// CountLines is how many lines s has.
func CountLines(s string) int { return strings.Count(s, "\n") + 1 }

// PadLines renders lines as exactly height lines, padding with blank lines
// width cells wide and dropping what does not fit.
func PadLines(lines []string, width, height int) string {
	blank := strings.Repeat(" ", width)
	for len(lines) < height {
		lines = append(lines, blank)
	}
	return strings.Join(lines[:height], "\n")
}
