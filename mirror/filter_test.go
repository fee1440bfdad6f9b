package mirror

import (
	"strings"
	"testing"
)

func TestFilterPatterns(t *testing.T) {
	t.Parallel()
	cases := []struct {
		pattern string
		path    string
		dir     bool
		match   bool
	}{
		{"*.o", "a.o", false, true},
		{"*.o", "x/y/a.o", false, true},
		{"*.o", "a.oo", false, false},
		{"*.o", "x.o/a", false, false}, // only the last element
		{"/build", "build", true, true},
		{"/build", "src/build", true, false},
		{"build", "src/build", true, true},
		{"cache/", "cache", true, true},
		{"cache/", "cache", false, false},
		{"doc/*.txt", "doc/a.txt", false, true},
		{"doc/*.txt", "x/doc/a.txt", false, true},
		{"doc/*.txt", "doc/x/a.txt", false, false},
		{"src/**.go", "src/a/b/c.go", false, true},
		{"src/**.go", "lib/src/a.go", false, true},
		{"**/cache", "a/b/cache", true, true},
		{"/a/**", "a/b/c", false, true},
		{"/a/**", "a", true, false},
		{"/a/***", "a", true, true},
		{"/a/***", "a/b", false, true},
		{"fi?e", "file", false, true},
		{"fi?e", "fi/e", false, false},
		{"[ab].txt", "b.txt", false, true},
		{"[!ab].txt", "b.txt", false, false},
		{"[!ab].txt", "c.txt", false, true},
		{`\*.txt`, "*.txt", false, true},
		{`\*.txt`, "a.txt", false, false},
		{"a.b", "axb", false, false}, // the dot is literal
	}
	for _, c := range cases {
		f, err := NewFilter([]Rule{{Pattern: c.pattern}})
		if err != nil {
			t.Fatalf("%q: %v", c.pattern, err)
		}
		if got := f.Excluded(c.path, c.dir); got != c.match {
			t.Errorf("exclude %q on %q (dir %v): %v, want %v", c.pattern, c.path, c.dir, got, c.match)
		}
	}
}

func TestFilterFirstMatchWins(t *testing.T) {
	t.Parallel()
	f, err := NewFilter([]Rule{{Include: true, Pattern: "keep.log"}, {Pattern: "*.log"}, {Include: true, Pattern: "*.log"}})
	if err != nil {
		t.Fatal(err)
	}
	if f.Excluded("a/keep.log", false) || !f.Excluded("a/other.log", false) || f.Excluded("a/x.txt", false) {
		t.Error("first matching rule does not decide")
	}
	// The README's recipe: only .go files, at any depth.
	goOnly, err := NewFilter([]Rule{{Include: true, Pattern: "*/"}, {Include: true, Pattern: "*.go"}, {Pattern: "*"}})
	if err != nil {
		t.Fatal(err)
	}
	if goOnly.Excluded("a/b", true) || goOnly.Excluded("a/b/x.go", false) || !goOnly.Excluded("a/b/x.txt", false) {
		t.Error("--include '*/' --include '*.go' --exclude '*' does not keep just the .go files")
	}
	var none *Filter
	if none.Excluded("x", false) {
		t.Error("a nil filter excludes")
	}
	if _, err := NewFilter([]Rule{{Pattern: "[a-"}}); err == nil {
		t.Error("bad pattern accepted")
	}
	if _, err := NewFilter([]Rule{{Pattern: ""}}); err == nil {
		t.Error("empty pattern accepted")
	}
}

func TestReadRules(t *testing.T) {
	t.Parallel()
	rules, err := ReadRules(strings.NewReader("# comment\n\n*.o\r\n; also a comment\n/build/\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 2 || rules[0].Pattern != "*.o" || rules[1].Pattern != "/build/" || rules[0].Include {
		t.Errorf("rules = %+v", rules)
	}
}
