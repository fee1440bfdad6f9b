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

// FitMiddle cuts s to at most w cells by replacing its middle with an
// ellipsis, keeping both ends (a path's root and its name), and pads it
// to exactly w cells. s must be sanitised plain text.
func FitMiddle(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw <= w {
		return s + strings.Repeat(" ", w-sw)
	}
	keep := w - ansi.StringWidth(Ellipsis)
	head := ansi.Truncate(s, keep/2, "")
	// The end gets the other half: the name of a path.
	r := []rune(s)
	i, tw := len(r), 0
	for i > 0 && tw+ansi.StringWidth(string(r[i-1])) <= keep-ansi.StringWidth(head) {
		i--
		tw += ansi.StringWidth(string(r[i]))
	}
	return Fit(head+Ellipsis+string(r[i:]), w)
}

// Wrap breaks s into lines at most w cells wide at its spaces; a line
// that fits is left as it is. A word
// wider than w is cut: a path (it holds a / or a \) loses its middle,
// anything else goes on over several lines. s must be sanitised plain
// text; an empty s is one empty line.
func Wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	if ansi.StringWidth(s) <= w {
		return []string{s}
	}
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		if ansi.StringWidth(word) > w {
			if strings.ContainsAny(word, `/\`) {
				word = strings.TrimRight(FitMiddle(word, w), " ")
			} else {
				if cur != "" {
					lines = append(lines, cur)
					cur = ""
				}
				for ansi.StringWidth(word) > w {
					chunk := ansi.Truncate(word, w, "")
					if chunk == "" { // a character wider than w
						chunk = string([]rune(word)[:1])
					}
					lines = append(lines, chunk)
					word = word[len(chunk):]
				}
			}
		}
		switch {
		case cur == "":
			cur = word
		case ansi.StringWidth(cur)+1+ansi.StringWidth(word) <= w:
			cur += " " + word
		default:
			lines = append(lines, cur)
			cur = word
		}
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}
