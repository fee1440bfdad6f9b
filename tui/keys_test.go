package tui

import (
	"image/color"
	"reflect"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/picker"
)

// allBindings returns every binding of k by field name.
func allBindings(k KeyMap) map[string]key.Binding {
	out := map[string]key.Binding{}
	v := reflect.ValueOf(k)
	for i := range v.NumField() {
		out[v.Type().Field(i).Name] = v.Field(i).Interface().(key.Binding)
	}
	return out
}

func TestKeyMapComplete(t *testing.T) {
	t.Parallel()
	for name, b := range allBindings(common.DefaultKeyMap()) {
		if len(b.Keys()) == 0 || b.Help().Key == "" || b.Help().Desc == "" {
			t.Errorf("%s: keys %q help %+v", name, b.Keys(), b.Help())
		}
		for _, k := range b.Keys() {
			if got := keyMsg(k).String(); got != k {
				t.Errorf("%s: key %q cannot be pressed (it reads %q)", name, k, got)
			}
		}
	}
}

func TestFunctionKeysHaveLetterTwins(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"f1": "?", "f2": "r", "f3": "v", "f4": "e", "f5": "c", "f6": "m", "f7": "n", "f8": "d", "f10": "q",
	}
	k := common.DefaultKeyMap()
	for _, b := range []key.Binding{k.Help, k.Rename, k.View, k.Edit, k.Copy, k.Move, k.Mkdir, k.Delete, k.Quit} {
		keys := b.Keys()
		f := keys[0]
		if !strings.HasPrefix(f, "f") {
			f = keys[1]
		}
		found := false
		for _, x := range keys {
			found = found || x == want[f]
		}
		if !found {
			t.Errorf("%s has keys %q, want its twin %q", f, keys, want[f])
		}
	}
}

func TestMainKeysDoNotClash(t *testing.T) {
	t.Parallel()
	k := common.DefaultKeyMap()
	main := []key.Binding{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown, k.Open, k.Parent, k.SwitchPane,
		k.Select, k.InvertSelection, k.SelectAll, k.ClearSelection, k.Copy, k.Move, k.Rename, k.Mkdir, k.Delete,
		k.View, k.Edit, k.Chmod, k.Filter, k.GoTo, k.Home, k.Hidden, k.Sort, k.Reverse, k.Refresh, k.Hosts,
		k.Queue, k.Help, k.Quit, k.ForceQuit, k.Compare, k.Sync}
	seen := map[string]string{}
	for _, b := range main {
		for _, x := range b.Keys() {
			if other, ok := seen[x]; ok {
				t.Errorf("%q is bound to both %q and %q", x, other, b.Help().Desc)
			}
			seen[x] = b.Help().Desc
		}
	}
}

func TestHelpBarIsGeneratedFromKeyMap(t *testing.T) {
	t.Parallel()
	m := localPair(t, t.TempDir(), t.TempDir(), 200, 20)
	bar := strings.Split(screen(m), "\n")[19]
	for _, b := range m.keys.ShortHelp() {
		if !strings.Contains(bar, b.Help().Key+" "+b.Help().Desc) {
			t.Errorf("help bar lacks %q: %q", b.Help().Key+" "+b.Help().Desc, bar)
		}
	}
	m.keys.Copy.SetHelp("F5", "send over")
	if bar := strings.Split(screen(m), "\n")[19]; !strings.Contains(bar, "F5 send over") {
		t.Errorf("help bar not rebuilt from the keymap: %q", bar)
	}
	m = localPair(t, t.TempDir(), t.TempDir(), 60, 20)
	bar = strings.Split(screen(m), "\n")[19]
	if !strings.HasSuffix(strings.TrimRight(bar, " "), "…") || strings.Contains(bar, "host") {
		t.Errorf("narrow help bar: %q", bar)
	}
}

func TestQueueAndConflictKeysDoNotClash(t *testing.T) {
	t.Parallel()
	k := common.DefaultKeyMap()
	groups := map[string][]key.Binding{
		"queue": {k.QueueCancel, k.QueueCancelAll, k.QueueRetry, k.QueueRetryAll, k.QueuePause,
			k.QueueMoreWorkers, k.QueueFewerWorkers, k.QueueClose, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.ForceQuit},
		"conflict": {k.ConflictOverwrite, k.ConflictOverwriteAll, k.ConflictSkip, k.ConflictSkipAll,
			k.ConflictResume, k.ConflictResumeAll, k.ConflictRename, k.ConflictRenameAll, k.ConflictNewer,
			k.ConflictNewerAll, k.ConflictForAll, k.ForceQuit},
	}
	for name, bs := range groups {
		seen := map[string]string{}
		for _, b := range bs {
			for _, x := range b.Keys() {
				if other, ok := seen[x]; ok {
					t.Errorf("%s: %q is bound to both %q and %q", name, x, other, b.Help().Desc)
				}
				seen[x] = b.Help().Desc
			}
		}
	}
}

// TestOptionsKeyMapNamesKeysInMessages: a key map from Options drives the
// keys and every message that names a key.
func TestOptionsKeyMapNamesKeysInMessages(t *testing.T) {
	t.Parallel()
	km := common.DefaultKeyMap()
	km.Hosts = key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("^o", "host"))
	km.Hidden = key.NewBinding(key.WithKeys("H"), key.WithHelp("H", "hidden"))
	km.Queue = key.NewBinding(key.WithKeys("ctrl+q"), key.WithHelp("^q", "queue"))
	root := makeTree(t, file{name: ".only-hidden"})
	m := start(t, Options{Left: local.New(), LeftDir: root, KeyMap: &km}, 120, 24)
	m.stack.items = nil // the picker for the missing right pane
	press(t, m, "H")
	if out := screen(m); !strings.Contains(out, "only hidden files: press H to show them") ||
		!strings.Contains(out, "no file system: press ^o to open a host") {
		t.Errorf("pane hints do not name the key map's keys:\n%s", out)
	}
	press(t, m, "c")
	if m.status.text != "copying needs the transfer engine" {
		t.Errorf("status %q", m.status.text)
	}
	press(t, m, "tab", ":")
	if m.status.text != "no file system in this pane: press ^o to open a host" {
		t.Errorf("go to without a file system: status %q", m.status.text)
	}
	settle(t, m, press(t, m, "ctrl+o"))
	if _, ok := m.stack.top().(*picker.Model); !ok {
		t.Errorf("ctrl+o opened %T, want the picker", m.stack.top())
	}
}

// TestOptionsTheme: a theme from Options colours the styles, on any
// background, unless NoColor is set.
func TestOptionsTheme(t *testing.T) {
	t.Parallel()
	theme := common.NewTheme(true)
	theme.Text = lipgloss.Color("#123456")
	m := start(t, Options{Left: local.New(), LeftDir: t.TempDir(), Right: local.New(), RightDir: t.TempDir(), Theme: &theme}, 80, 24)
	for _, dark := range []bool{true, false} {
		bg := color.Color(color.White)
		if dark {
			bg = color.Black
		}
		m.Update(tea.BackgroundColorMsg{Color: bg})
		if got := m.styles.File.GetForeground(); got != theme.Text {
			t.Errorf("dark %v: file colour %v, want the theme's %v", dark, got, theme.Text)
		}
	}
	m = start(t, Options{Left: local.New(), LeftDir: t.TempDir(), Theme: &theme, NoColor: true}, 80, 24)
	if got := m.styles.File.GetForeground(); got == theme.Text {
		t.Error("NoColor drew in the theme's colours")
	}
}
