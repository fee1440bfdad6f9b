package tui

import (
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/tui/pane"
)

// gotoTree has directories to complete and a file that must not be offered.
func gotoTree(t *testing.T) string {
	return makeTree(t,
		file{name: "projects/alpha/"},
		file{name: "projects/alps/"},
		file{name: "projects/beta/"},
		file{name: "projects/alpine.txt"},
		file{name: "photos/"},
		file{name: "ünïcödé dir/"},
		file{name: "esc\x1b[1mdir/"},
	)
}

// gotoModel opens the tree as "/" of a remote-looking file system.
func gotoModel(t *testing.T) (*Model, *pane.Model) {
	root := gotoTree(t)
	m := start(t, Options{Left: &rootedFS{label: "web1", base: root}, Right: &rootedFS{label: "b", base: root}}, 100, 24)
	return m, &m.panes[leftSide]
}

func TestGotoRelativeAbsoluteAndHome(t *testing.T) {
	t.Parallel()
	m, p := gotoModel(t)
	press(t, m, ":")
	inputOpen(t, m, "Go to")
	typeText(t, m, "projects/alpha")
	settle(t, m, press(t, m, "enter"))
	if p.Path() != "/projects/alpha" || m.stack.top() != nil {
		t.Fatalf("relative: path %q overlay %T", p.Path(), m.stack.top())
	}
	press(t, m, ":")
	typeText(t, m, "../beta")
	settle(t, m, press(t, m, "enter"))
	if p.Path() != "/projects/beta" {
		t.Errorf("..: path %q", p.Path())
	}
	press(t, m, ":")
	typeText(t, m, "/photos")
	settle(t, m, press(t, m, "enter"))
	if p.Path() != "/photos" {
		t.Errorf("absolute: path %q", p.Path())
	}
	press(t, m, ":")
	typeText(t, m, "~/projects")
	settle(t, m, press(t, m, "enter"))
	if p.Path() != "/projects" {
		t.Errorf("~/: path %q", p.Path())
	}
	press(t, m, ":")
	typeText(t, m, "~")
	settle(t, m, press(t, m, "enter"))
	if p.Path() != "/" {
		t.Errorf("~: path %q", p.Path())
	}
	press(t, m, ":")
	typeText(t, m, "nowhere")
	settle(t, m, press(t, m, "enter"))
	if p.Path() != "/" || !m.status.isErr || !strings.Contains(m.status.text, "cannot list /nowhere") {
		t.Errorf("missing: path %q status %q", p.Path(), m.status.text)
	}
	press(t, m, ":")
	typeText(t, m, "photos")
	press(t, m, "esc")
	if m.stack.top() != nil || p.Path() != "/" {
		t.Error("esc did not cancel")
	}
}

func TestGotoCompletion(t *testing.T) {
	t.Parallel()
	m, p := gotoModel(t)
	press(t, m, ":")
	d := inputOpen(t, m, "Go to")
	steps := []struct {
		typed, want string
		hints       []string
		err         bool
	}{
		{"pro", "projects/", nil, false},
		{"al", "projects/alp", []string{"alpha/", "alps/"}, false}, // alpine.txt is a file
		{"h", "projects/alpha/", nil, false},
		{"zz", "projects/alpha/zz", nil, true},
	}
	for i, s := range steps {
		typeText(t, m, s.typed)
		cmd := press(t, m, "tab")
		if cmd == nil {
			t.Fatalf("step %d: tab returned no Cmd: completion must list in a Cmd", i)
		}
		settle(t, m, cmd)
		if got := d.Typed(); got != s.want {
			t.Errorf("step %d: value %q, want %q", i, got, s.want)
		}
		if strings.Join(d.Hints(), " ") != strings.Join(s.hints, " ") {
			t.Errorf("step %d: hints %q, want %q", i, d.Hints(), s.hints)
		}
		if (d.Err() != "") != s.err {
			t.Errorf("step %d: err %q", i, d.Err())
		}
		for _, h := range s.hints {
			if !strings.Contains(screen(m), h) {
				t.Errorf("step %d: hint %q not on screen", i, h)
			}
		}
	}
	press(t, m, "ctrl+u")
	typeText(t, m, "/ü")
	settle(t, m, press(t, m, "tab"))
	if d.Typed() != "/ünïcödé dir/" {
		t.Errorf("absolute non-ASCII completion: %q", d.Typed())
	}
	settle(t, m, press(t, m, "enter"))
	if p.Path() != "/ünïcödé dir" {
		t.Errorf("path %q", p.Path())
	}
}

func TestGotoCompletionNeverInsertsControlCharacters(t *testing.T) {
	t.Parallel()
	m, _ := gotoModel(t)
	press(t, m, ":")
	d := inputOpen(t, m, "Go to")
	typeText(t, m, "es")
	settle(t, m, press(t, m, "tab"))
	if d.Typed() != "es" {
		t.Errorf("value %q: an unsafe name was inserted", d.Typed())
	}
	if len(d.Hints()) != 1 || d.Hints()[0] != `esc\x1b[1mdir/` {
		t.Errorf("hints %q", d.Hints())
	}
	if strings.Contains(m.View().Content, "\x1b[1mdir") {
		t.Error("raw name on screen")
	}
}

func TestStaleCompletionIsDropped(t *testing.T) {
	t.Parallel()
	m, _ := gotoModel(t)
	press(t, m, ":")
	d := inputOpen(t, m, "Go to")
	typeText(t, m, "pro")
	msgs := drain(press(t, m, "tab"))
	typeText(t, m, "x") // typed on before the listing came back
	m.Update(msgs[0])
	if d.Typed() != "prox" {
		t.Errorf("value %q: a stale completion was applied", d.Typed())
	}
}

func TestCommonPrefix(t *testing.T) {
	t.Parallel()
	if got := commonPrefix([]string{"añb", "añc"}); got != "añ" {
		t.Errorf("commonPrefix = %q", got)
	}
	if got := commonPrefix([]string{"a\u00f1", "a\u00f2"}); got != "a" {
		t.Errorf("commonPrefix cut a rune: %q", got)
	}
}
