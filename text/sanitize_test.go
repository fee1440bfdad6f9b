package text

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in, want string
		width          int // display width of the result
	}{
		{"plain ASCII", "report 01.csv", "report 01.csv", 13},
		{"empty", "", "", 0},
		{"backslash escaped", `C:\Users\me`, `C:\\Users\\me`, 13},
		{"escape look-alike", `bad\xff` + "\xff", `bad\\xff\xff`, 12},
		{"SGR colour", "evil\x1b[31mred", `evil\x1b[31mred`, 15},
		{"OSC title", "a\x1b]0;pwned\x07b", `a\x1b]0;pwned\x07b`, 18},
		{"OSC 8 hyperlink", "\x1b]8;;http://x\x1b\\y", `\x1b]8;;http://x\x1b\\y`, 23},
		{"clear screen", "\x1b[2J\x1b[H", `\x1b[2J\x1b[H`, 13},
		{"newline tab CR", "a\nb\tc\rd", `a\x0ab\x09c\x0dd`, 16},
		{"NUL and DEL", "\x00\x7f", `\x00\x7f`, 8},
		{"C1 CSI", "a\u009b31mb", `a\u009b31mb`, 11},
		{"C1 NEL", "\u0085", `\u0085`, 6},
		{"bidi RLO", "bidi\u202etxt.exe", `bidi\u202etxt.exe`, 17},
		{"bidi isolates", "\u2066a\u2069", `\u2066a\u2069`, 13},
		{"LRM RLM ALM", "\u200e\u200f\u061c", `\u200e\u200f\u061c`, 18},
		{"zero width space and joiner", "a\u200bb\u200dc", `a\u200bb\u200dc`, 15},
		{"BOM", "\ufeffx", `\ufeffx`, 7},
		{"soft hyphen", "co\u00adop", `co\u00adop`, 10},
		{"line separator", "a\u2028b", `a\u2028b`, 8},
		{"tag character", "x\U000E0041", `x\U000e0041`, 11},
		{"invalid byte", "bad\xffbyte", `bad\xffbyte`, 11},
		{"truncated sequence", "\xe2\x82", `\xe2\x82`, 8},
		{"overlong encoding", "\xc0\xaf", `\xc0\xaf`, 8},
		{"surrogate half", "\xed\xa0\x80", `\xed\xa0\x80`, 12},
		{"Latin letters", "ünïcödé", "ünïcödé", 7},
		{"wide CJK", "日本語.txt", "日本語.txt", 10},
		{"fullwidth and Hangul", "ＡＢ한글", "ＡＢ한글", 8},
		{"emoji", "🚀go", "🚀go", 4},
		{"RTL letters kept", "שלום", "שלום", 4},
		{"combining accent kept", "e\u0301", "e\u0301", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sanitize(tt.in)
			if got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if w := ansi.StringWidth(got); w != tt.width {
				t.Errorf("width of %q = %d, want %d", got, w, tt.width)
			}
			assertSafe(t, got)
		})
	}
}

// assertSafe fails if s holds anything Sanitize must have escaped.
func assertSafe(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%q is not valid UTF-8", s)
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			t.Errorf("%q contains %U", s, r)
		}
	}
	if ansi.Strip(s) != s {
		t.Errorf("%q still holds an ANSI sequence", s)
	}
}

func TestSanitizePlainASCIIIsNotCopied(t *testing.T) {
	in := strings.Repeat("abc ", 10)
	if got := testing.AllocsPerRun(100, func() { _ = Sanitize(in) }); got != 0 {
		t.Errorf("Sanitize of plain ASCII allocates %v times", got)
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "a", "\x1b[31m", "\u202e", "\xff", "日本", "\u009b", "a\u200db", "\xed\xa0\x80", `bad\xff`, `C:\dir`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Sanitize(s)
		assertSafe(t, got)
		// Unambiguous: the escapes read back give exactly the input, so no
		// two names ever look the same.
		if back, err := unescape(got); err != nil || back != s {
			t.Errorf("Sanitize(%q) = %q reads back as %q (%v)", s, got, back, err)
		}
	})
}

// unescape reads Sanitize's escapes back: \\, \xNN, \uNNNN, \UNNNNNNNN.
func unescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 >= len(s) {
			return "", fmt.Errorf("lone backslash at %d", i)
		}
		digits := map[byte]int{'x': 2, 'u': 4, 'U': 8}[s[i+1]]
		if s[i+1] == '\\' {
			b.WriteByte('\\')
			i++
			continue
		}
		if digits == 0 || i+2+digits > len(s) {
			return "", fmt.Errorf("bad escape at %d", i)
		}
		n, err := strconv.ParseUint(s[i+2:i+2+digits], 16, 32)
		if err != nil {
			return "", err
		}
		if digits == 2 {
			b.WriteByte(byte(n))
		} else {
			b.WriteRune(rune(n))
		}
		i += 1 + digits
	}
	return b.String(), nil
}

func TestSanitizeLinesKeepsLineFeedsAndTabs(t *testing.T) {
	in := "line one\n\tline two\x1b[2J\r\u202e"
	if got, want := SanitizeLines(in), "line one\n\tline two\\x1b[2J\\x0d\\u202e"; got != want {
		t.Errorf("SanitizeLines = %q, want %q", got, want)
	}
	if got, want := Sanitize(in), `line one\x0a\x09line two\x1b[2J\x0d\u202e`; got != want {
		t.Errorf("Sanitize = %q, want %q", got, want)
	}
}
