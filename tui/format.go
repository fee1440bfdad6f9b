package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// ellipsis marks text that was cut to fit.
const ellipsis = "…"

// Column widths of a pane row.
const (
	sizeWidth = 5  // "1023K", "9.9M", "<DIR>"
	timeWidth = 12 // "Jan 02 15:04", "Jan 02  2006"
)

// Time layouts: ls -l style, the year replacing the clock for other years.
const (
	layoutThisYear  = "Jan 02 15:04"
	layoutOtherYear = "Jan 02  2006"
)

// formatSize renders a byte count the way ls -h does: plain bytes under 1K,
// then one decimal under ten units and whole units above (1.2K, 10M).
func formatSize(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10)
	}
	const units = "KMGTPE"
	v := float64(n)
	i := -1
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if v < 9.95 {
		return strconv.FormatFloat(v, 'f', 1, 64) + units[i:i+1]
	}
	s := strconv.FormatFloat(v, 'f', 0, 64)
	if s == "1024" && i < len(units)-1 {
		return "1.0" + units[i+1:i+2]
	}
	return s + units[i:i+1]
}

// formatTime renders a modification time in now's location: the clock for
// times in now's year, the year otherwise. The zero time renders empty.
func formatTime(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(now.Location())
	if t.Year() == now.Year() {
		return t.Format(layoutThisYear)
	}
	return t.Format(layoutOtherYear)
}

// fit cuts s to at most w cells, ending it with an ellipsis when cut, and
// pads it with spaces to exactly w cells. s must be sanitised plain text.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, ellipsis)
		sw = ansi.StringWidth(s)
	}
	return s + strings.Repeat(" ", w-sw)
}

// fitLeft is fit for paths: it keeps the end of s and cuts the start.
func fitLeft(s string, w int) string {
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
		cut := ansi.TruncateLeft(s, n, ellipsis)
		if cw := ansi.StringWidth(cut); cw <= w && strings.HasPrefix(cut, ellipsis) {
			return cut + strings.Repeat(" ", w-cw)
		}
	}
	return fit(ellipsis, w)
}

// alignRight pads s on the left to w cells; s must already fit.
func alignRight(s string, w int) string {
	if sw := ansi.StringWidth(s); sw < w {
		return strings.Repeat(" ", w-sw) + s
	}
	return s
}
