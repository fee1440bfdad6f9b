package pane

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/tui/common"
)

// homedFS is the local file system with a chosen home directory, as a
// remote login directory would be.
type homedFS struct {
	*local.FS
	home string
}

func (h homedFS) Home(context.Context) (string, error) { return h.home, nil }

// homedPane returns a pane over a homed file system, not listed yet.
func homedPane(t *testing.T, home string) *Model {
	t.Helper()
	km := common.DefaultKeyMap()
	p := New(t.Context(), homedFS{local.New(), home}, common.Right, &km)
	p.SetSize(60, 10)
	return &p
}

// load runs the listing cmd and applies it, returning HandleLoaded's error.
func load(t *testing.T, p *Model, dir string) error {
	t.Helper()
	msg, ok := p.Load(dir, "")().(LoadedMsg)
	if !ok {
		t.Fatal("Load did not list")
	}
	_, err := p.HandleLoaded(msg)
	return err
}

// mkfile creates name under dir with its parents.
func mkfile(t *testing.T, dir, name string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(name), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRelativeStartDirIsUnderHome(t *testing.T) {
	home := t.TempDir()
	mkfile(t, home, "some/dir/a.txt")
	for _, dir := range []string{"some/dir", "some/./dir/", "some/dir/../dir", "~/some/dir"} {
		p := homedPane(t, home)
		if err := load(t, p, dir); err != nil {
			t.Fatalf("%q: %v", dir, err)
		}
		want := filepath.Join(home, "some", "dir")
		if p.Path() != want || !filepath.IsAbs(p.Path()) || !slices.Equal(p.Names(), []string{"a.txt"}) {
			t.Errorf("%q: path %q names %q, want %q", dir, p.Path(), p.Names(), want)
		}
		// Opening and going up stay absolute.
		if cmd := p.Parent(); cmd == nil {
			t.Fatal("no parent")
		} else if _, err := p.HandleLoaded(cmd().(LoadedMsg)); err != nil || p.Path() != filepath.Join(home, "some") {
			t.Errorf("parent: %q %v", p.Path(), err)
		}
	}
}

func TestHomeStartDirs(t *testing.T) {
	home := t.TempDir()
	mkfile(t, home, "a.txt")
	for _, dir := range []string{"", "~", ".", "~/"} {
		p := homedPane(t, home)
		if err := load(t, p, dir); err != nil {
			t.Fatalf("%q: %v", dir, err)
		}
		if p.Path() != home || p.HomeDir() != home || !slices.Equal(p.Names(), []string{"a.txt"}) {
			t.Errorf("%q: path %q home %q names %q, want %q", dir, p.Path(), p.HomeDir(), p.Names(), home)
		}
	}
}

func TestMissingStartDirFallsBackToHome(t *testing.T) {
	home := t.TempDir()
	mkfile(t, home, "a.txt")
	for _, dir := range []string{"gone/away", filepath.Join(home, "gone"), "a.txt"} {
		p := homedPane(t, home)
		err := load(t, p, dir)
		var sde *StartDirError
		if !errors.As(err, &sde) || sde.Home != home {
			t.Fatalf("%q: err %v, want a *StartDirError showing %s", dir, err, home)
		}
		if p.Path() != home || p.HomeDir() != home || !p.Loaded() || !slices.Equal(p.Names(), []string{"a.txt"}) {
			t.Errorf("%q: pane at %q (home %q) names %q", dir, p.Path(), p.HomeDir(), p.Names())
		}
		abs := dir
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(home, dir)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "cannot list "+abs+": ") || !strings.HasSuffix(msg, "; showing "+home+" instead") {
			t.Errorf("%q: message %q", dir, msg)
		}
		if dir != "a.txt" && !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%q: errors.Is(%v, fs.ErrNotExist) = false", dir, err)
		}
	}
}

func TestMissingDirAfterStartKeepsListing(t *testing.T) {
	home := t.TempDir()
	mkfile(t, home, "a.txt")
	p := homedPane(t, home)
	if err := load(t, p, ""); err != nil {
		t.Fatal(err)
	}
	err := load(t, p, filepath.Join(home, "gone"))
	var sde *StartDirError
	if err == nil || errors.As(err, &sde) || !errors.Is(err, fs.ErrNotExist) || p.Path() != home {
		t.Errorf("err %v, path %q: a later listing must fail in place", err, p.Path())
	}
}
