package common

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
)

// Actions returns the name of every action of the key map, in the order
// of its fields: each field's name in snake case ("copy", "page_up",
// "queue_more_workers"). Settings files bind keys by these names.
func Actions() []string {
	t := reflect.TypeFor[KeyMap]()
	out := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		out = append(out, snake(t.Field(i).Name))
	}
	return out
}

// snake turns a Go field name into snake case: PageUp -> page_up.
func snake(name string) string {
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// binding returns a pointer to the binding of action, or nil.
func (k *KeyMap) binding(action string) *key.Binding {
	v := reflect.ValueOf(k).Elem()
	t := v.Type()
	for i := range t.NumField() {
		if snake(t.Field(i).Name) == action {
			b, _ := v.Field(i).Addr().Interface().(*key.Binding)
			return b
		}
	}
	return nil
}

// Keys returns the keys of action, or nil for an unknown action.
func (k *KeyMap) Keys(action string) []string {
	if b := k.binding(action); b != nil {
		return b.Keys()
	}
	return nil
}

// Rebind replaces the keys of action with keys, keeping its help text's
// description; the help shows the first two keys. It refuses an unknown
// action and a key name Bubble Tea never reports.
func (k *KeyMap) Rebind(action string, keys []string) error {
	b := k.binding(action)
	if b == nil {
		return fmt.Errorf("unknown action %q (see ferry config defaults for the list)", action)
	}
	if len(keys) == 0 {
		return fmt.Errorf("%s: no keys", action)
	}
	for _, s := range keys {
		if err := checkKeyName(s); err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
	}
	shown := keys[:min(2, len(keys))]
	help := make([]string, len(shown))
	for i, s := range shown {
		help[i] = keyLabel(s)
	}
	*b = key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(help, "/"), b.Help().Desc))
	return nil
}

// namedKeys are the key names Bubble Tea gives, besides single characters
// and function keys.
var namedKeys = map[string]string{
	"up": "↑", "down": "↓", "left": "←", "right": "→", "home": "home", "end": "end",
	"pgup": "pgup", "pgdown": "pgdn", "enter": "enter", "tab": "tab", "esc": "esc",
	"backspace": "bksp", "delete": "del", "insert": "ins", "space": "space",
}

// checkKeyName accepts what tea.KeyPressMsg.String() can be: an optional
// ctrl+, alt+ or shift+ and a single character, a function key f1-f20 or
// a named key.
func checkKeyName(s string) error {
	base := s
	for {
		p, rest, ok := strings.Cut(base, "+")
		if !ok || rest == "" || (p != "ctrl" && p != "alt" && p != "shift") {
			break
		}
		base = rest
	}
	if _, ok := namedKeys[base]; ok || utf8.RuneCountInString(base) == 1 {
		return nil
	}
	var n int
	if _, err := fmt.Sscanf(base, "f%d", &n); err == nil && n >= 1 && n <= 20 && base == fmt.Sprintf("f%d", n) {
		return nil
	}
	return fmt.Errorf("%q is not a key name: want a character, f1-f20, ctrl+x, alt+x or one of %s", s, strings.Join(sortedNames(), ", "))
}

func sortedNames() []string {
	out := make([]string, 0, len(namedKeys))
	for n := range namedKeys {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// keyLabel is how the help shows a key: F5, ^r, ↑.
func keyLabel(s string) string {
	if l, ok := namedKeys[s]; ok {
		return l
	}
	if rest, ok := strings.CutPrefix(s, "ctrl+"); ok && utf8.RuneCountInString(rest) == 1 {
		return "^" + rest
	}
	if len(s) >= 2 && s[0] == 'f' && s[1] >= '0' && s[1] <= '9' {
		return "F" + s[1:]
	}
	return s
}

// KeyConflictError says that two actions that can be pressed at the same
// moment share a key.
type KeyConflictError struct {
	// Key is the key both actions have.
	Key string
	// A and B are the two actions, A first in the key map.
	A, B string
}

// Error names the key and both actions.
func (e *KeyConflictError) Error() string {
	return fmt.Sprintf("key %q is bound to both %s and %s", e.Key, e.A, e.B)
}

// keyScopes groups the actions that can be pressed at the same moment:
// the queue view's, a viewer's, a dialog's. An action in no group is a
// pane action. Actions of different groups may share keys (q quits the
// panes and closes the viewer).
var keyScopes = [][]string{
	{"up", "down", "top", "bottom", "page_up", "page_down", "queue_cancel", "queue_cancel_all", "queue_retry", "queue_retry_all", "queue_pause", "queue_more_workers", "queue_fewer_workers", "queue_clear", "queue_close", "queue_slower", "queue_faster", "force_quit"},
	{"up", "down", "top", "bottom", "page_up", "page_down", "close_viewer", "scroll_left", "scroll_right", "force_quit"},
	{"filter_keep", "filter_clear", "filter_up", "filter_down", "filter_edit", "force_quit"},
	{"confirm", "deny", "force_quit"},
	{"submit", "cancel", "complete", "force_quit"},
	{"conflict_overwrite", "conflict_overwrite_all", "conflict_skip", "conflict_skip_all", "conflict_resume", "conflict_resume_all", "conflict_rename", "conflict_rename_all", "conflict_newer", "conflict_newer_all", "conflict_for_all", "force_quit"},
	{"stop_reconnect"}, // shares esc with clear_selection on purpose
}

// Conflicts returns every pair of actions that can be pressed at the same
// moment and share a key, as *KeyConflictError values in key map order.
func (k *KeyMap) Conflicts() []error {
	inScope := map[string]bool{}
	scopes := make([][]string, 0, len(keyScopes)+1)
	for _, s := range keyScopes {
		scopes = append(scopes, s)
		for _, a := range s {
			if a != "force_quit" && !isNav(a) {
				inScope[a] = true
			}
		}
	}
	var panes []string
	for _, a := range Actions() {
		if !inScope[a] {
			panes = append(panes, a)
		}
	}
	scopes = append([][]string{panes}, scopes...)
	seen := map[[2]string]bool{}
	var errs []error
	for _, s := range scopes {
		owner := map[string]string{}
		for _, a := range s {
			for _, key := range k.Keys(a) {
				other, ok := owner[key]
				if !ok {
					owner[key] = a
					continue
				}
				if other == a || seen[[2]string{other, a}] {
					continue
				}
				seen[[2]string{other, a}] = true
				errs = append(errs, &KeyConflictError{Key: key, A: other, B: a})
			}
		}
	}
	return errs
}

// isNav reports whether a is a cursor motion, which every list shares.
func isNav(a string) bool {
	switch a {
	case "up", "down", "top", "bottom", "page_up", "page_down":
		return true
	}
	return false
}
