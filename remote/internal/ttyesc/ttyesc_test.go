package ttyesc

import "testing"

func TestEscape(t *testing.T) {
	cases := []struct {
		in           string
		keepNewlines bool
		want         string
	}{
		{"plain ünïcode", false, "plain ünïcode"},
		{"a\x1b[2Jb", false, `a\x1b[2Jb`},
		{"del\x7f c1\u0085", false, `del\x7f c1\u0085`},
		{"evil\u202etxt.exe", false, `evil\u202etxt.exe`},
		{"zero\u200bwidth", false, `zero\u200bwidth`},
		{"line\u2028para\u2029", false, `line\u2028para\u2029`},
		{"bad\xffutf8", false, `bad\xffutf8`},
		{"two\nlines\tand tab", false, `two\nlines\tand tab`},
		{"two\nlines\tand tab\r", true, "two\nlines\tand tab\\r"},
		{`back\slash`, false, `back\slash`},
	}
	for _, c := range cases {
		if got := Escape(c.in, c.keepNewlines); got != c.want {
			t.Errorf("Escape(%q, %v) = %q, want %q", c.in, c.keepNewlines, got, c.want)
		}
	}
}
