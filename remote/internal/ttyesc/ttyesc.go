// Package ttyesc escapes text from servers and files for a terminal. It
// serves the terminal prompter (remote/ttyprompt) and the debug lines and
// errors of remote/auth, which name key files and agent keys.
package ttyesc

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape makes s safe to print on a terminal: control characters
// (C0, DEL, C1), Unicode format characters (bidi overrides, zero-width
// characters), line and paragraph separators and invalid UTF-8 are shown
// escaped as Go does in quoted strings (\x1b, \u202e). With keepNewlines,
// line feeds and tabs stay as they are.
func Escape(s string, keepNewlines bool) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unsafe(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keepNewlines && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case unsafe(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// unsafe reports whether r may change what a terminal shows beyond
// printing one character: controls, format characters (Cf, which holds
// the bidi controls) and the Unicode line and paragraph separators.
func unsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}
