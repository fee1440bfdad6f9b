package tui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"

	"charm.land/bubbles/v2/key"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
)

// moreOpsTree makes root/d (a: 100 bytes, s/b: 23), root/e (empty) and
// root/f.txt (5 bytes), every file 0644 and directory 0755.
func moreOpsTree(t *testing.T, root string) {
	t.Helper()
	for _, d := range []string{"d", "d/s", "e"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, n := range map[string]int{"d/a": 100, "d/s/b": 23, "f.txt": 5} {
		if err := os.WriteFile(filepath.Join(root, name), make([]byte, n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// perm returns the permission bits of root/rel.
func perm(t *testing.T, root, rel string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// submitInput replaces the text of the open dialog titled title with
// value and submits it.
func submitInput(t *testing.T, m *Model, title, value string) *inputDialog {
	t.Helper()
	d := inputOpen(t, m, title)
	clearInput(t, m)
	typeText(t, m, value)
	settle(t, m, press(t, m, "enter"))
	return d
}

// moreOpsThroughUI drives chmod (symbolic, -R), new file, symlink, dir
// sizes and chown through Update on fsys, shown in the left pane at root
// (a local directory, as the server sees it); the right pane shows root/e
// on right, the same file system. namesKnown says chown can look names
// up on fsys.
func moreOpsThroughUI(t *testing.T, fsys, right transfer.FS, root string, namesKnown bool) {
	moreOpsTree(t, root)
	m := start(t, Options{Left: fsys, Right: right, LeftDir: root, RightDir: fsys.Join(root, "e")}, 140, 24)
	p := &m.panes[leftSide]
	at := func(name string) {
		t.Helper()
		if p.SetCursor(p.RowOf(name)); cursorName(p) != name {
			t.Fatalf("cursor on %q, want %q", cursorName(p), name)
		}
	}
	noErr := func(what string) {
		t.Helper()
		if m.status.isErr || m.stack.top() != nil {
			t.Fatalf("%s: status %q, overlay %T", what, m.status.text, m.stack.top())
		}
	}

	// chmod with a symbolic mode.
	at("f.txt")
	press(t, m, "p")
	if d := inputOpen(t, m, "Permissions"); d.Typed() != "644" {
		t.Errorf("chmod prefilled with %q", d.Typed())
	}
	submitInput(t, m, "Permissions", "u+x,go-w")
	noErr("chmod u+x,go-w")
	if got := perm(t, root, "f.txt"); got != 0o744 {
		t.Errorf("f.txt: %v, want 0744", got)
	}
	if !strings.Contains(screen(m), "-rwxr--r--") {
		t.Error("the new mode is not shown")
	}
	press(t, m, "p")
	d := submitInput(t, m, "Permissions", "u+q")
	if m.stack.top() != d || !strings.Contains(d.Err(), "'q' is not a permission") {
		t.Errorf("bad mode: dialog %v, error %q", m.stack.top(), d.Err())
	}
	press(t, m, "esc")

	// chmod -R, relative to each entry's bits.
	at("d")
	press(t, m, "P")
	submitInput(t, m, "Permissions, recursively", "go-rx")
	noErr("chmod -R")
	for rel, want := range map[string]fs.FileMode{"d": 0o700, "d/s": 0o700, "d/a": 0o600, "d/s/b": 0o600} {
		if got := perm(t, root, rel); got != want {
			t.Errorf("chmod -R: %s is %v, want %v", rel, got, want)
		}
	}
	if !strings.Contains(m.status.text, "4 entries") {
		t.Errorf("chmod -R status %q", m.status.text)
	}
	if got := perm(t, root, "e"); got != 0o755 {
		t.Errorf("chmod -R reached e: %v", got)
	}

	// A new empty file; its name again is refused in the dialog.
	press(t, m, "t")
	submitInput(t, m, "New empty file", "new ü.txt")
	noErr("new file")
	if fi, err := os.Stat(filepath.Join(root, "new ü.txt")); err != nil || fi.Size() != 0 {
		t.Fatalf("new file: %v, %v", fi, err)
	}
	if cursorName(p) != "new ü.txt" {
		t.Errorf("cursor on %q after new file", cursorName(p))
	}
	press(t, m, "t")
	d = submitInput(t, m, "New empty file", "new ü.txt")
	if m.stack.top() != d || !strings.Contains(d.Err(), "already exists") {
		t.Errorf("existing name: error %q", d.Err())
	}
	press(t, m, "esc")

	// A symbolic link, proposed in the other pane's directory.
	at("f.txt")
	press(t, m, "K")
	want := fsys.Join(root, "e", "f.txt")
	if d := inputOpen(t, m, "Symbolic link to"); d.Typed() != want {
		t.Errorf("symlink proposed at %q, want %q", d.Typed(), want)
	}
	settle(t, m, press(t, m, "enter"))
	noErr("symlink")
	if tgt, err := os.Readlink(filepath.Join(root, "e", "f.txt")); err != nil || tgt != fsys.Join(root, "f.txt") {
		t.Errorf("link target %q, %v", tgt, err)
	}
	if !slices.Contains(names(&m.panes[rightSide]), "f.txt") {
		t.Error("the other pane does not show the new link")
	}
	// Beside the entry, under a name typed relative to the pane.
	press(t, m, "K")
	submitInput(t, m, "Symbolic link to", "e/../f-link")
	noErr("relative symlink")
	if tgt, _ := os.Readlink(filepath.Join(root, "f-link")); tgt != fsys.Join(root, "f.txt") {
		t.Errorf("f-link -> %q", tgt)
	}
	press(t, m, "K")
	d = submitInput(t, m, "Symbolic link to", "f-link")
	if m.stack.top() != d || !strings.Contains(d.Err(), "already exists") {
		t.Errorf("taken link name: error %q", d.Err())
	}
	press(t, m, "esc")

	// Directory sizes, with both keys; the column shows them.
	at("d")
	settle(t, m, press(t, m, "u"))
	if n, ok := p.DirSize("d"); !ok || n != 123 {
		t.Errorf("size of d = %d, %v; want 123", n, ok)
	}
	if !strings.Contains(m.status.text, "1 directory: 123") {
		t.Errorf("dir sizes status %q", m.status.text)
	}
	row := lineWith(screen(m), "d/")
	if !strings.Contains(row, " 123 ") || strings.Contains(row, "<DIR>") {
		t.Errorf("d's row %q does not show 123", row)
	}
	press(t, m, "g", "space", "space") // d and e
	settle(t, m, press(t, m, "ctrl+space"))
	link := len64(fsys.Join(root, "f.txt")) // a link counts its own size
	if n, ok := p.DirSize("e"); !ok || n != link {
		t.Errorf("size of e = %d, %v; want the link's %d", n, ok, link)
	}
	if !strings.Contains(m.status.text, "2 directories") {
		t.Errorf("dir sizes status %q", m.status.text)
	}

	// chown to numeric ids; names where the file system knows them.
	if os.Getuid() != 0 {
		t.Log("not root: chown skipped")
		return
	}
	press(t, m, "esc")
	at("f.txt")
	press(t, m, "O")
	submitInput(t, m, "Owner", "1234:5678")
	noErr("chown")
	if uid, gid := owner_(t, root, "f.txt"); uid != 1234 || gid != 5678 {
		t.Errorf("chown: %d:%d", uid, gid)
	}
	press(t, m, "O")
	submitInput(t, m, "Owner", ":42")
	if uid, gid := owner_(t, root, "f.txt"); uid != 1234 || gid != 42 {
		t.Errorf("chgrp: %d:%d", uid, gid)
	}
	press(t, m, "O")
	submitInput(t, m, "Owner", "daemon:bin")
	if namesKnown {
		noErr("chown by name")
		if uid, gid := owner_(t, root, "f.txt"); uid != 1 || gid != 2 {
			t.Errorf("chown daemon:bin: %d:%d", uid, gid)
		}
	} else if !m.status.isErr || !strings.Contains(m.status.text, "names are not known") {
		t.Errorf("chown by name on %s: status %q", fsys.Label(), m.status.text)
	}
	press(t, m, "O")
	d = submitInput(t, m, "Owner", "a b")
	if m.stack.top() != d || d.Err() == "" {
		t.Error("a bad owner was accepted")
	}
	press(t, m, "esc")

	// chown -R: the directory and everything below it, nothing beside it.
	fileUID, fileGID := owner_(t, root, "f.txt")
	at("d")
	press(t, m, "alt+o")
	submitInput(t, m, "Owner[:group], recursively", "77:88")
	noErr("chown -R")
	for _, rel := range []string{"d", "d/a", "d/s", "d/s/b"} {
		if uid, gid := owner_(t, root, rel); uid != 77 || gid != 88 {
			t.Errorf("chown -R: %s is %d:%d, want 77:88", rel, uid, gid)
		}
	}
	if uid, gid := owner_(t, root, "f.txt"); uid != fileUID || gid != fileGID {
		t.Errorf("chown -R of d reached f.txt: %d:%d", uid, gid)
	}
	if !strings.Contains(m.status.text, "owner changed on 4 entries") {
		t.Errorf("chown -R status %q", m.status.text)
	}
}

// len64 is len(s) as an int64.
func len64(s string) int64 { return int64(len(s)) }

// lineWith returns the first line of s that contains sub.
func lineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

// owner_ returns the uid and gid of root/rel.
func owner_(t *testing.T, root, rel string) (uint32, uint32) {
	t.Helper()
	fi, err := os.Lstat(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	return st.Uid, st.Gid
}

func TestMoreOpsLocal(t *testing.T) {
	t.Parallel()
	moreOpsThroughUI(t, local.New(), local.New(), t.TempDir(), true)
}

func TestMoreOpsSSHD(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	_, client := srv.Dial(t)
	fsys := remote.NewFS("box", client)
	moreOpsThroughUI(t, fsys, fsys, srv.Dir, false) // NewFS has no channel for long listings
}

func TestDirSizesStop(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	moreOpsTree(t, root)
	m := localPair(t, root, root, 120, 20)
	p := &m.panes[leftSide]
	p.SetCursor(p.RowOf("d"))
	cmd := press(t, m, "u")
	if cmd == nil || m.ops.sizes.req == 0 {
		t.Fatal("sizing did not start")
	}
	press(t, m, "u")
	if m.ops.sizes.req != 0 || !strings.Contains(m.status.text, "stopped") {
		t.Fatalf("second press: req %d, status %q", m.ops.sizes.req, m.status.text)
	}
	settle(t, m, cmd)
	if _, ok := p.DirSize("d"); ok {
		t.Error("a stopped request's size was shown")
	}
	// A file alone has nothing to size.
	p.SetCursor(p.RowOf("f.txt"))
	if cmd := press(t, m, "u"); cmd != nil || !strings.Contains(m.status.text, "no directory") {
		t.Errorf("on a file: status %q", m.status.text)
	}
	// Leaving the directory forgets the sizes.
	p.SetCursor(p.RowOf("d"))
	settle(t, m, press(t, m, "u"))
	if _, ok := p.DirSize("d"); !ok {
		t.Fatal("no size")
	}
	settle(t, m, press(t, m, "enter"))
	settle(t, m, press(t, m, "backspace"))
	if _, ok := p.DirSize("d"); ok {
		t.Error("sizes kept after changing directory")
	}
}

func TestMoreOpsKeysInHelpAndFree(t *testing.T) {
	t.Parallel()
	k := common.DefaultKeyMap()
	mine := []key.Binding{k.ChmodRecursive, k.Chown, k.ChownRecursive, k.Symlink, k.NewFile, k.DirSizes}
	seen := map[string]string{}
	for name, b := range allBindings(k) {
		if slices.ContainsFunc(mine, func(x key.Binding) bool { return x.Help() == b.Help() }) {
			continue
		}
		if strings.HasPrefix(name, "Conflict") || strings.HasPrefix(name, "Queue") || strings.HasPrefix(name, "Filter") {
			continue // other contexts
		}
		switch name {
		case "Confirm", "Deny", "Submit", "Cancel", "Complete", "CloseViewer", "ScrollLeft", "ScrollRight":
			continue
		}
		for _, x := range b.Keys() {
			seen[x] = name
		}
	}
	for _, b := range mine {
		for _, x := range b.Keys() {
			if other, ok := seen[x]; ok {
				t.Errorf("%q (%s) is also bound to %s", x, b.Help().Desc, other)
			}
		}
	}
	m := localPair(t, t.TempDir(), t.TempDir(), 220, 30)
	press(t, m, "?")
	s := screen(m)
	for _, b := range mine {
		if !strings.Contains(s, b.Help().Key) || !strings.Contains(s, b.Help().Desc) {
			t.Errorf("help does not list %s %s", b.Help().Key, b.Help().Desc)
		}
	}
}

// TestSortBySizeUsesDirSizes: sorted by size, directories whose sizes were
// computed (ctrl+space, u) take their place by those sizes, as in mc, and
// keep it through a refresh and a reverse.
func TestSortBySizeUsesDirSizes(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for name, n := range map[string]int{"a/x": 10, "b/x": 1000, "b/y": 50, "c/x": 100, "f.txt": 7} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, name), make([]byte, n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := localPair(t, root, root, 120, 20)
	p := &m.panes[leftSide]
	order := func(want ...string) {
		t.Helper()
		if got := names(p); !slices.Equal(got, want) {
			t.Errorf("order %q, want %q", got, want)
		}
	}
	settle(t, m, press(t, m, "s"))
	if !strings.Contains(screen(m), "size↓") {
		t.Fatalf("not sorted by size:\n%s", screen(m))
	}
	p.SetCursor(p.RowOf("c"))
	settle(t, m, press(t, m, "ctrl+a"))
	settle(t, m, press(t, m, "ctrl+space"))
	order("b", "c", "a", "f.txt")
	if cursorName(p) != "c" {
		t.Errorf("cursor on %q after sorting, want c", cursorName(p))
	}
	settle(t, m, press(t, m, "ctrl+r"))
	order("b", "c", "a", "f.txt")
	settle(t, m, press(t, m, "S"))
	order("a", "c", "b", "f.txt")
	settle(t, m, press(t, m, "s")) // by time: the sizes do not matter
	settle(t, m, press(t, m, "s", "s"))
	order("a", "c", "b", "f.txt")
}

// TestFullHelpShowsEveryKeyAt80Columns: at 80x24, and in the vim preset,
// the full help lays its keys out in more rows rather than cutting
// columns off: every binding shows its keys beside its description.
func TestFullHelpShowsEveryKeyAt80Columns(t *testing.T) {
	t.Parallel()
	for _, km := range []common.KeyMap{common.DefaultKeyMap(), common.VimKeyMap()} {
		m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: t.TempDir(), RightDir: t.TempDir(), KeyMap: &km}, 80, 24)
		press(t, m, "?")
		s := screen(m)
		for _, col := range km.FullHelp() {
			for _, b := range col {
				re := regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(b.Help().Key) + ` +` + regexp.QuoteMeta(b.Help().Desc) + `(\s|$)`)
				if !re.MatchString(s) {
					t.Errorf("the help at 80x24 does not show %q %q:\n%s", b.Help().Key, b.Help().Desc, s)
				}
			}
		}
		if n := len(strings.Split(strings.TrimRight(s, "\n"), "\n")); n > 24 {
			t.Errorf("the screen is %d lines high", n)
		}
	}
}
