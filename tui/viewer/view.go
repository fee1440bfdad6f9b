package viewer

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/common"
)

// Screen renders the viewer: a header line and the visible lines,
// exactly height lines of exactly width cells.
func (v *Model) Screen(st *common.Styles, width, height int) string {
	lines := make([]string, 0, height)
	mode := "text"
	if v.hex {
		mode = "hex"
	}
	head := v.title + "  " + text.Bytes(v.size) + "  " + mode
	if v.truncated {
		head += "  first " + text.Size(Limit) + " shown"
	}
	lines = append(lines, st.HeaderFocused.Render(" "+common.FitLeft(head, max(width-2, 0))+" "))
	rows := height - 1
	switch {
	case v.loading:
		lines = append(lines, st.Hint.Render(common.Fit(" loading…", width)))
	case v.lineCount() == 0:
		lines = append(lines, st.Hint.Render(common.Fit(" empty file", width)))
	default:
		end := min(v.top+rows, v.lineCount())
		for i := v.top; i < end; i++ {
			lines = append(lines, common.Fit(v.line(i, width), width))
		}
	}
	return common.PadLines(lines, width, height)
}

// line renders line i, sanitised and scrolled sideways, at most width cells.
func (v *Model) line(i, width int) string {
	var s string
	if v.hex {
		s = hexLine(v.data, i*16)
	} else {
		end := len(v.data)
		if i+1 < len(v.starts) {
			end = v.starts[i+1]
		}
		raw := bytes.TrimRight(v.data[v.starts[i]:end], "\r\n")
		s = text.Sanitize(expandTabs(string(raw)))
	}
	return ansi.Cut(s, v.left, v.left+width)
}

// expandTabs replaces tabs by spaces up to the next multiple of eight.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		if r == '\t' {
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}

// hexLine renders the 16 bytes at off as hexdump -C does.
func hexLine(data []byte, off int) string {
	chunk := data[off:min(off+16, len(data))]
	var b strings.Builder
	fmt.Fprintf(&b, "%08x  ", off)
	for i := range 16 {
		if i < len(chunk) {
			fmt.Fprintf(&b, "%02x ", chunk[i])
		} else {
			b.WriteString("   ")
		}
		if i == 7 {
			b.WriteByte(' ')
		}
	}
	b.WriteString(" |")
	for _, c := range chunk {
		if c >= 0x20 && c < 0x7f {
			b.WriteByte(c)
		} else {
			b.WriteByte('.')
		}
	}
	b.WriteByte('|')
	return b.String()
}
