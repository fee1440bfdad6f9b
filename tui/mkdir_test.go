package tui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/transfer"
)

func TestMkdirParts(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]string{
		"a": {"a"}, "a/b/c": {"a", "b", "c"}, "a/b/": {"a", "b"}, "ü x/y": {"ü x", "y"},
	} {
		if got, err := mkdirParts(in, "/"); err != nil || !slices.Equal(got, want) {
			t.Errorf("mkdirParts(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got, err := mkdirParts(`a\b`, `\`); err != nil || !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf(`mkdirParts(a\b, \) = %q, %v`, got, err)
	}
	for _, bad := range []string{"", "/", "/a", "a//b", "a/./b", "a/../b", "..", "a/\x00"} {
		if _, err := mkdirParts(bad, "/"); err == nil {
			t.Errorf("mkdirParts(%q) accepted", bad)
		}
	}
}

// mkdirNested drives F7 through the model on fsys, shown in the left
// pane at root (a directory on the local disk, as the server sees it).
func mkdirNested(t *testing.T, fsys transfer.FS, root string) {
	if err := os.WriteFile(filepath.Join(root, "file"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	m := start(t, Options{Left: fsys, Right: local.New(), LeftDir: root, RightDir: t.TempDir()}, 120, 20)
	p := &m.panes[leftSide]
	mkdir := func(value string) {
		t.Helper()
		press(t, m, "f7")
		inputOpen(t, m, "New directory")
		typeText(t, m, value)
		settle(t, m, press(t, m, "enter"))
		if m.stack.top() != nil {
			t.Fatalf("%q: dialog still open: %+v", value, m.stack.top())
		}
	}
	isDir := func(rel string) bool {
		fi, err := os.Stat(filepath.Join(root, rel))
		return err == nil && fi.IsDir()
	}

	mkdir("a/b/c")
	if !isDir("a/b/c") || m.status.isErr {
		t.Fatalf("a/b/c not made; status %q", m.status.text)
	}
	if got := cursorName(p); got != "a" {
		t.Errorf("cursor on %q, want a", got)
	}

	// Existing parents are fine; the new directory goes inside them.
	mkdir("a/b/d/")
	if !isDir("a/b/d") || m.status.isErr {
		t.Fatalf("a/b/d not made; status %q", m.status.text)
	}

	// An existing final directory is an error that names it.
	mkdir("a/b/c")
	if st := m.status.text; !m.status.isErr || !strings.Contains(st, "already exists") || !strings.Contains(st, filepath.Join("a", "b", "c")) {
		t.Errorf("existing directory: status %q (error %v)", st, m.status.isErr)
	}

	// A file in the way is named, and nothing below it is tried.
	mkdir("file/x/y")
	if st := m.status.text; !m.status.isErr || !strings.Contains(st, filepath.Join(root, "file")) || !strings.Contains(st, "not a directory") {
		t.Errorf("file in the way: status %q (error %v)", st, m.status.isErr)
	}

	// A component that cannot be made is named.
	if err := os.Chmod(filepath.Join(root, "a"), 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(filepath.Join(root, "a"), 0o755) })
	if os.Getuid() != 0 {
		mkdir("a/e/f")
		if st := m.status.text; !m.status.isErr || !strings.Contains(st, filepath.Join("a", "e")) || strings.Contains(st, filepath.Join("e", "f")) {
			t.Errorf("unwritable parent: status %q (error %v)", st, m.status.isErr)
		}
		if isDir("a/e") {
			t.Error("a/e made in a read-only directory")
		}
	}
}

func TestMkdirNestedLocal(t *testing.T) {
	t.Parallel()
	mkdirNested(t, local.New(), t.TempDir())
}

func TestMkdirNestedSSHD(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	_, client := srv.Dial(t)
	mkdirNested(t, remote.NewFS("box", client), srv.Dir)
}
