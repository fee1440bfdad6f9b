package tui

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// fixedNow is the injected clock of every test: mid-June 2025, in UTC so
// times render the same in every time zone.
var fixedNow = time.Date(2025, time.June, 15, 12, 0, 0, 0, time.UTC)

// Modification times of the fixtures: one this year, one years ago.
var (
	mtimeRecent = time.Date(2025, time.March, 1, 9, 30, 0, 0, time.UTC)
	mtimeOld    = time.Date(2019, time.November, 5, 18, 45, 0, 0, time.UTC)
)

// file describes one fixture: a directory when its name ends in "/".
type file struct {
	name  string
	size  int64
	mtime time.Time
}

// makeTree creates the fixtures under a new temp directory and returns it.
// Directory mtimes are set last, after their contents exist.
func makeTree(t *testing.T, files ...file) string {
	t.Helper()
	root := t.TempDir()
	var dirs []file
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(strings.TrimSuffix(f.name, "/")))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f.name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			dirs = append(dirs, file{name: p, mtime: f.mtime})
			continue
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatalf("create %q: %v", f.name, err)
		}
		if err := os.Truncate(p, f.size); err != nil {
			t.Fatal(err)
		}
		if !f.mtime.IsZero() {
			if err := os.Chtimes(p, f.mtime, f.mtime); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if !dirs[i].mtime.IsZero() {
			if err := os.Chtimes(dirs[i].name, dirs[i].mtime, dirs[i].mtime); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root
}

// rootedFS shows a real directory as the root "/" of a file system with a
// chosen label, so views do not depend on the temp directory's name. Only
// the listing methods are implemented: the embedded nil FS makes any other
// call panic, which proves the UI does nothing else.
type rootedFS struct {
	transfer.FS // nil
	label       string
	base        string
	homeErr     error
}

func (r *rootedFS) real(p string) string {
	return filepath.Join(r.base, filepath.FromSlash(p))
}

func (r *rootedFS) Label() string { return r.label }
func (r *rootedFS) Home(context.Context) (string, error) {
	if r.homeErr != nil {
		return "", r.homeErr
	}
	return "/", nil
}
func (r *rootedFS) Join(elem ...string) string { return path.Join(elem...) }
func (r *rootedFS) Dir(name string) string     { return path.Dir(name) }
func (r *rootedFS) Base(name string) string    { return path.Base(name) }
func (r *rootedFS) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	infos, err := local.New().ReadDir(ctx, r.real(name))
	var pe *fs.PathError
	if errors.As(err, &pe) {
		pe.Path = name // report the path the UI knows
	}
	return infos, err
}

// drain runs cmd synchronously, expanding batches, and returns every
// message it produced.
func drain(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if batch, ok := msg.(tea.BatchMsg); ok {
		var msgs []tea.Msg
		for _, c := range batch {
			msgs = append(msgs, drain(c)...)
		}
		return msgs
	}
	return []tea.Msg{msg}
}

// loads runs cmd and returns the listings it produced, in order.
func loads(cmd tea.Cmd) []dirLoadedMsg {
	var out []dirLoadedMsg
	for _, msg := range drain(cmd) {
		if dl, ok := msg.(dirLoadedMsg); ok {
			out = append(out, dl)
		}
	}
	return out
}

// settle runs cmd, feeds every listing back into m, and repeats with the
// Cmds that returns, until nothing is left.
func settle(t *testing.T, m *Model, cmd tea.Cmd) {
	t.Helper()
	for range 10 {
		msgs := loads(cmd)
		if len(msgs) == 0 {
			return
		}
		var next []tea.Cmd
		for _, msg := range msgs {
			_, c := m.Update(msg)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
	t.Fatal("listings did not settle")
}

// keyMsg builds the key press that msg.String() reports as s.
func keyMsg(s string) tea.KeyPressMsg {
	switch s {
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(s)
	if len(r) != 1 {
		panic("keyMsg: unknown key " + s)
	}
	return tea.KeyPressMsg{Code: r[0], Text: s}
}

// press sends the keys to m one by one and returns the last Cmd.
func press(t *testing.T, m *Model, keys ...string) tea.Cmd {
	t.Helper()
	var cmd tea.Cmd
	for _, k := range keys {
		if got := keyMsg(k).String(); got != k {
			t.Fatalf("keyMsg(%q).String() = %q", k, got)
		}
		_, cmd = m.Update(keyMsg(k))
	}
	return cmd
}

// start builds a model, sizes it, runs Init and applies the listings.
func start(t *testing.T, opts Options, width, height int) *Model {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	m := New(opts)
	t.Cleanup(func() { m.quit() })
	m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	settle(t, m, m.Init())
	return m
}

// names returns the raw names of a pane's entries.
func names(p *pane) []string {
	out := make([]string, len(p.entries))
	for i, e := range p.entries {
		out[i] = e.name
	}
	return out
}

// cursorName returns the name under a pane's cursor.
func cursorName(p *pane) string {
	e, _ := p.current()
	return e.name
}
