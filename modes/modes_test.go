package modes

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestParseApply(t *testing.T) {
	for _, c := range []struct {
		mode string
		from fs.FileMode
		want fs.FileMode
	}{
		{"644", 0o777, 0o644},
		{"0755", 0o600, 0o755},
		{"4755", 0o600, 0o755 | fs.ModeSetuid},
		{"0", 0o777, 0},
		{"u+x", 0o644, 0o744},
		{"go-w", 0o666, 0o644},
		{"a=r", 0o755, 0o444},
		{"u+x,go-w", 0o666, 0o744},
		{"+x", 0o644, 0o755},
		{"-r", 0o644, 0o200},
		{"=rw", 0o700, 0o666},
		{"u=rwx,g=rx,o=", 0o000, 0o750},
		{"ug+rw-x", 0o711, 0o661},
		{"g=u", 0o740, 0o770},
		{"o=g", 0o750, 0o755},
		{"a+X", 0o644, 0o644},
		{"a+X", 0o744, 0o755},
		{"a+X", fs.ModeDir | 0o700, fs.ModeDir | 0o711},
		{"u+s", 0o755, 0o755 | fs.ModeSetuid},
		{"g+s", 0o755, 0o755 | fs.ModeSetgid},
		{"+t", fs.ModeDir | 0o777, fs.ModeDir | 0o777 | fs.ModeSticky},
		{"o+s", 0o755, 0o755}, // s has no meaning for others
		{"u=rw", 0o755 | fs.ModeSetuid, 0o655},
		{"u=rwx", fs.ModeDir | 0o755 | fs.ModeSetgid, fs.ModeDir | 0o755 | fs.ModeSetgid},
		{" go-rwx ", 0o777, 0o700},
	} {
		ch, err := Parse(c.mode)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.mode, err)
			continue
		}
		if got := ch.Apply(c.from); got != c.want {
			t.Errorf("Parse(%q).Apply(%v) = %v, want %v", c.mode, c.from, got, c.want)
		}
	}
}

func TestApplyKeepsType(t *testing.T) {
	ch, _ := Parse("600")
	if got := ch.Apply(fs.ModeDir | 0o755); got != fs.ModeDir|0o600 {
		t.Errorf("octal on a directory = %v", got)
	}
}

func TestParseInvalid(t *testing.T) {
	for _, c := range []struct{ mode, want string }{
		{"", "no mode given"},
		{"  ", "no mode given"},
		{"8", "octal modes are 1 to 4 digits"},
		{"12345", "octal modes are 1 to 4 digits"},
		{"75x", "octal modes are 1 to 4 digits"},
		{"u", `mode "u": no operator`},
		{"ugo", "no operator"},
		{"u+q", `'q' is not a permission`},
		{"u+x,go+q", `in "go+q": 'q' is not a permission`},
		{"x+u", `unexpected 'x' where +, - or = belongs`},
		{"u+x,", "empty clause between commas"},
		{",u+x", "empty clause between commas"},
		{"g=ur", "copy from u, g or o alone"},
		{"rwx", `unexpected 'r'`},
	} {
		_, err := Parse(c.mode)
		var me *Error
		if !errors.As(err, &me) {
			t.Errorf("Parse(%q) = %v, want an *Error", c.mode, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q): %q does not say %q", c.mode, err, c.want)
		}
		if c.mode != "" && strings.TrimSpace(c.mode) != "" && !strings.Contains(err.Error(), "u+x") && !strings.HasPrefix(c.want, "octal") {
			t.Errorf("Parse(%q): %q gives no example", c.mode, err)
		}
	}
}

func TestOctal(t *testing.T) {
	for m, want := range map[fs.FileMode]string{0o644: "644", 0o7: "007", 0o755 | fs.ModeSetgid: "2755", fs.ModeDir | 0o1777 | fs.ModeSticky: "1777"} {
		if got := Octal(m); got != want {
			t.Errorf("Octal(%v) = %q, want %q", m, got, want)
		}
	}
}
