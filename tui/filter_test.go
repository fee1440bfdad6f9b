package tui

import (
	"slices"
	"strings"
	"testing"
)

// helpLine returns the help bar of a height-line screen.
func helpLine(m *Model) string {
	lines := strings.Split(screen(m), "\n")
	return lines[len(lines)-1]
}

func TestFilterEscClearsFilterBeforeSelection(t *testing.T) {
	t.Parallel()
	root := selTree(t)
	m := localPair(t, root, root, 100, 20)
	p := &m.panes[leftSide]
	press(t, m, "/")
	typeText(t, m, "a")
	press(t, m, "enter", "space") // select apple.txt under the kept filter "a"
	if p.Filter() != "a" || p.NSel() != 1 {
		t.Fatalf("filter %q, %d selected", p.Filter(), p.NSel())
	}
	press(t, m, "esc")
	if p.Filter() != "" || p.NSel() != 1 {
		t.Errorf("first esc: filter %q, %d selected; want the filter cleared first", p.Filter(), p.NSel())
	}
	press(t, m, "esc")
	if p.NSel() != 0 {
		t.Errorf("second esc: %d selected", p.NSel())
	}
}

func TestFilterSlashOnKeptFilter(t *testing.T) {
	t.Parallel()
	root := selTree(t)
	m := localPair(t, root, root, 100, 20)
	p := &m.panes[leftSide]
	press(t, m, "/")
	typeText(t, m, "an")
	press(t, m, "enter")

	// / offers the kept filter: it stays applied until the first edit,
	// which replaces it.
	press(t, m, "/")
	if p.Filter() != "an" || !strings.Contains(screen(m), "/ an") {
		t.Errorf("/ on a kept filter: filter %q, screen:\n%s", p.Filter(), screen(m))
	}
	typeText(t, m, "ch")
	if p.Filter() != "ch" {
		t.Errorf("typing on the offered filter: %q, want it replaced", p.Filter())
	}
	press(t, m, "enter")

	// Enter before any edit keeps it.
	press(t, m, "/", "enter")
	if p.Filter() != "ch" || m.filter.active {
		t.Errorf("enter on the offered filter: %q", p.Filter())
	}
	// → takes it into the input to edit.
	press(t, m, "/", "right")
	typeText(t, m, "e")
	if p.Filter() != "che" {
		t.Errorf("→ then e: %q, want the kept filter edited", p.Filter())
	}
	press(t, m, "enter")
	// Backspace on the offered filter deletes it.
	press(t, m, "/", "backspace")
	if p.Filter() != "" || len(names(p)) != 6 {
		t.Errorf("backspace on the offered filter: %q", p.Filter())
	}
	press(t, m, "esc")
}

func TestFilterHelpShowsOnlyWorkingKeys(t *testing.T) {
	t.Parallel()
	root := selTree(t)
	m := localPair(t, root, root, 120, 20)
	p := &m.panes[leftSide]
	press(t, m, "/")
	help := helpLine(m)
	for _, want := range []string{"enter keep", "esc clear", "↑ up", "↓ down"} {
		if !strings.Contains(help, want) {
			t.Errorf("help while filtering lacks %q: %q", want, help)
		}
	}
	for _, not := range []string{"k", "j", "→ edit"} {
		if slices.Contains(strings.Fields(strings.ReplaceAll(help, "/", " ")), not) {
			t.Errorf("help while filtering shows %q, which types into the filter: %q", not, help)
		}
	}
	typeText(t, m, "kj")
	if p.Filter() != "kj" {
		t.Errorf("k and j did not type: %q", p.Filter())
	}
	press(t, m, "backspace", "backspace")
	typeText(t, m, "a")
	press(t, m, "enter", "/")
	if help := helpLine(m); !strings.Contains(help, "→ edit") {
		t.Errorf("help on an offered filter lacks → edit: %q", help)
	}
}
