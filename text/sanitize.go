package text

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sanitize makes a string that came from a disk or a server safe to measure
// and draw. Everything a terminal would interpret or that would be invisible
// is shown escaped instead, in Go's notation:
//
//   - C0 controls and DEL as \xNN (an escape character becomes \x1b);
//   - invalid UTF-8 bytes as \xNN (a stray 0xff becomes \xff);
//   - C1 controls, bidirectional controls (U+202A-U+202E, U+2066-U+2069,
//     U+200E, U+200F, U+061C), other invisible format characters (Unicode
//     category Cf, such as zero-width spaces and joiners) and the line and
//     paragraph separators as \uNNNN or \UNNNNNNNN.
//
// The backslash itself is shown as \\, so that a name that really holds the
// four characters \xff never looks like the invalid byte 0xff. Other printable
// text, including wide characters, is returned unchanged. The escapes are for
// showing, never for parsing back.
func Sanitize(s string) string {
	return sanitize(s, false)
}

// SanitizeLines is Sanitize for text of several lines, such as a server's
// banner or a multi-line prompt: line feeds and tabs stay as they are.
func SanitizeLines(s string) string {
	return sanitize(s, true)
}

// sanitize is Sanitize, keeping line feeds and tabs with keepLines.
func sanitize(s string, keepLines bool) string {
	if PlainASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			writeByteEscape(&b, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case keepLines && (r == '\n' || r == '\t'):
			b.WriteByte(byte(r))
		case r < 0x20 || r == 0x7f:
			writeByteEscape(&b, byte(r))
		case mustEscapeRune(r):
			writeRuneEscape(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// PlainASCII reports whether s holds printable ASCII other than the
// backslash only: the common case, which Sanitize returns as it is and which
// takes one cell per byte.
func PlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '\\' {
			return false
		}
	}
	return true
}

// mustEscapeRune reports whether a valid, non-C0 rune must be shown escaped.
func mustEscapeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls, e.g. U+009B (CSI).
		return true
	case r == '\u2028' || r == '\u2029': // line and paragraph separators.
		return true
	}
	// Cf covers the bidi controls (U+061C, U+200E/F, U+202A-E, U+2066-9),
	// zero-width characters, the BOM, soft hyphens and tag characters.
	return unicode.Is(unicode.Cf, r)
}

// writeByteEscape writes c as \xNN.
func writeByteEscape(b *strings.Builder, c byte) {
	const hex = "0123456789abcdef"
	b.WriteString(`\x`)
	b.WriteByte(hex[c>>4])
	b.WriteByte(hex[c&0xf])
}

// writeRuneEscape writes r as \uNNNN, or \UNNNNNNNN outside the BMP.
func writeRuneEscape(b *strings.Builder, r rune) {
	digits := 4
	if r > 0xffff {
		b.WriteString(`\U`)
		digits = 8
	} else {
		b.WriteString(`\u`)
	}
	h := strconv.FormatInt(int64(r), 16)
	for range digits - len(h) {
		b.WriteByte('0')
	}
	b.WriteString(h)
}
