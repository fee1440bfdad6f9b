package tui

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/internal/tuitest"
	"github.com/ferry-tui/ferry/tui/pane"
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
	name    string
	size    int64 // when content is empty
	mtime   time.Time
	content string
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
			if err := os.Chmod(p, 0o755); err != nil {
				t.Fatal(err)
			}
			dirs = append(dirs, file{name: p, mtime: f.mtime})
			continue
		}
		if err := os.WriteFile(p, []byte(f.content), 0o644); err != nil {
			t.Fatalf("create %q: %v", f.name, err)
		}
		if f.content == "" {
			if err := os.Truncate(p, f.size); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(p, 0o644); err != nil { // whatever the umask
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
// chosen label, so views do not depend on the temp directory's name. Every
// method forwards to local.FS on the real path; errors name the path the UI
// knows.
type rootedFS struct {
	label    string
	base     string
	homeErr  error
	linkTime time.Time // when set, symbolic links report it as ModTime
}

// linkInfo reports a fixed modification time for a symbolic link, whose
// own time a test cannot set portably.
type linkInfo struct {
	fs.FileInfo
	mtime time.Time
}

func (l linkInfo) ModTime() time.Time { return l.mtime }

func (r *rootedFS) fixTime(fi fs.FileInfo) fs.FileInfo {
	if fi != nil && !r.linkTime.IsZero() && fi.Mode()&fs.ModeSymlink != 0 {
		return linkInfo{fi, r.linkTime}
	}
	return fi
}

var _ transfer.FS = (*rootedFS)(nil)

func (r *rootedFS) real(p string) string {
	return filepath.Join(r.base, filepath.FromSlash(p))
}

// fix rewrites the path in a *fs.PathError or *os.LinkError to the UI's.
func (r *rootedFS) fix(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		pe.Path = name
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return &fs.PathError{Op: le.Op, Path: name, Err: le.Err}
	}
	return err
}

func (r *rootedFS) Label() string { return r.label }
func (r *rootedFS) Home(context.Context) (string, error) {
	if r.homeErr != nil {
		return "", r.homeErr
	}
	return "/", nil
}
func (r *rootedFS) Join(elem ...string) string { return path.Join(elem...) }
func (r *rootedFS) Separator() string          { return "/" }
func (r *rootedFS) Dir(name string) string     { return path.Dir(name) }
func (r *rootedFS) Base(name string) string    { return path.Base(name) }
func (r *rootedFS) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	infos, err := local.New().ReadDir(ctx, r.real(name))
	for i := range infos {
		infos[i] = r.fixTime(infos[i])
	}
	return infos, r.fix(name, err)
}
func (r *rootedFS) Stat(ctx context.Context, name string) (fs.FileInfo, error) {
	fi, err := local.New().Stat(ctx, r.real(name))
	return fi, r.fix(name, err)
}
func (r *rootedFS) Lstat(ctx context.Context, name string) (fs.FileInfo, error) {
	fi, err := local.New().Lstat(ctx, r.real(name))
	return r.fixTime(fi), r.fix(name, err)
}
func (r *rootedFS) Readlink(ctx context.Context, name string) (string, error) {
	t, err := local.New().Readlink(ctx, r.real(name))
	return t, r.fix(name, err)
}
func (r *rootedFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	f, err := local.New().Open(ctx, r.real(name))
	return f, r.fix(name, err)
}
func (r *rootedFS) CreateExcl(ctx context.Context, name string, perm fs.FileMode) (io.WriteCloser, error) {
	f, err := local.New().CreateExcl(ctx, r.real(name), perm)
	return f, r.fix(name, err)
}
func (r *rootedFS) Mkdir(ctx context.Context, name string, perm fs.FileMode) error {
	return r.fix(name, local.New().Mkdir(ctx, r.real(name), perm))
}
func (r *rootedFS) Remove(ctx context.Context, name string) error {
	return r.fix(name, local.New().Remove(ctx, r.real(name)))
}
func (r *rootedFS) Rename(ctx context.Context, oldname, newname string) error {
	return r.fix(oldname, local.New().Rename(ctx, r.real(oldname), r.real(newname)))
}
func (r *rootedFS) Chmod(ctx context.Context, name string, mode fs.FileMode) error {
	return r.fix(name, local.New().Chmod(ctx, r.real(name), mode))
}
func (r *rootedFS) Chtimes(ctx context.Context, name string, atime, mtime time.Time) error {
	return r.fix(name, local.New().Chtimes(ctx, r.real(name), atime, mtime))
}
func (r *rootedFS) Symlink(ctx context.Context, target, newname string) error {
	return r.fix(newname, local.New().Symlink(ctx, target, r.real(newname)))
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
func loads(cmd tea.Cmd) []pane.LoadedMsg {
	var out []pane.LoadedMsg
	for _, msg := range drain(cmd) {
		if dl, ok := msg.(pane.LoadedMsg); ok {
			out = append(out, dl)
		}
	}
	return out
}

// settle runs cmd synchronously, feeds every message it produced back into
// m, and repeats with the Cmds that returns, until nothing is left. Quit
// messages and transfer strip ticks (which re-arm forever) are not fed back.
func settle(t testing.TB, m *Model, cmd tea.Cmd) {
	t.Helper()
	for range 20 {
		msgs := drain(cmd)
		var next []tea.Cmd
		for _, msg := range msgs {
			if msg == nil {
				continue
			}
			switch msg.(type) {
			case tea.QuitMsg, stripTickMsg, connTickMsg:
				continue
			}
			_, c := m.Update(msg)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
		if cmd == nil {
			return
		}
	}
	t.Fatal("messages did not settle")
}

// keyMsg builds the key press that msg.String() reports as s.
func keyMsg(s string) tea.KeyPressMsg { return tuitest.Key(s) }

// press sends the keys to m one by one and returns the last Cmd.
func press(t testing.TB, m *Model, keys ...string) tea.Cmd {
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
func start(t testing.TB, opts Options, width, height int) *Model {
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

// names returns the raw names of a pane's rows, in the order shown.
func names(p *pane.Model) []string { return p.Names() }

// cursorName returns the name under a pane's cursor.
func cursorName(p *pane.Model) string {
	if e, ok := p.Current(); ok {
		return e.Name()
	}
	return ""
}

// typeText sends s to m one rune at a time, as typing does.
func typeText(t testing.TB, m *Model, s string) tea.Cmd {
	t.Helper()
	var cmd tea.Cmd
	for _, r := range s {
		_, cmd = m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return cmd
}

// screen returns the view without styles.
func screen(m *Model) string { return ansi.Strip(m.View().Content) }

// selectedNames returns the raw names selected in p, in the order shown.
func selectedNames(p *pane.Model) []string { return p.SelectedNames() }

// exists reports whether path exists on disk (without following links).
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// localPair starts a model with local.FS in both panes over left and right.
func localPair(t *testing.T, left, right string, width, height int) *Model {
	t.Helper()
	return start(t, Options{Left: local.New(), Right: local.New(), LeftDir: left, RightDir: right}, width, height)
}

// runner runs Cmds concurrently, as the program does, and feeds their
// messages to the model from the test goroutine.
type runner struct {
	t    *testing.T
	m    *Model
	msgs chan tea.Msg
	done chan struct{}
}

// newRunner returns a runner for m, stopped when the test ends.
func newRunner(t *testing.T, m *Model) *runner {
	r := &runner{t: t, m: m, msgs: make(chan tea.Msg, 64), done: make(chan struct{})}
	t.Cleanup(func() { close(r.done) })
	return r
}

// run starts cmd (and every Cmd of a batch) in its own goroutine.
func (r *runner) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				r.run(c)
			}
			return
		}
		if msg == nil {
			return
		}
		select {
		case r.msgs <- msg:
		case <-r.done:
		}
	}()
}

// send updates the model with msg and runs the Cmd it returns.
func (r *runner) send(msg tea.Msg) {
	_, cmd := r.m.Update(msg)
	r.run(cmd)
}

// press sends key presses.
func (r *runner) press(keys ...string) {
	r.t.Helper()
	for _, k := range keys {
		r.send(keyMsg(k))
	}
}

// typeText types s.
func (r *runner) typeText(s string) {
	for _, c := range s {
		r.send(tea.KeyPressMsg{Code: c, Text: string(c)})
	}
}

// waitFor feeds messages to the model until cond holds, failing after
// ten seconds. Quits are not fed back. cond is checked after every
// message and every 10 ms, for conditions that no message announces.
func (r *runner) waitFor(what string, cond func() bool) {
	r.t.Helper()
	deadline := time.After(10 * time.Second)
	poll := time.NewTicker(10 * time.Millisecond)
	defer poll.Stop()
	for !cond() {
		select {
		case msg := <-r.msgs:
			if _, ok := msg.(tea.QuitMsg); ok {
				continue
			}
			r.send(msg)
		case <-poll.C:
		case <-deadline:
			r.t.Fatalf("timed out waiting for %s; screen:\n%s", what, screen(r.m))
		}
	}
}
