package pane

import (
	"testing"

	"github.com/ferry-tui/ferry/local"
)

func TestResolveAndSeparators(t *testing.T) {
	p := &Model{fs: local.New(), path: "/a/b", homeDir: "/home/me"}
	for in, want := range map[string]string{
		"c": "/a/b/c", "../c": "/a/c", "/x/./y": "/x/y", "~/d": "/home/me/d", "~": "/home/me", "~x": "/a/b/~x",
	} {
		if got := p.Resolve(in); got != want {
			t.Errorf("resolve(%q) = %q, want %q", in, got, want)
		}
	}
	for v, want := range map[string]bool{`C:\x`: true, `\\srv\s`: true, `x\y`: false, "/x": true} {
		if got := isAbs(v, `\`); got != want {
			t.Errorf("isAbs(%q, \\) = %v", v, got)
		}
	}
	if isAbs(`C:\x`, "/") {
		t.Error("drive letters are not absolute on / file systems")
	}
}
