package tui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// startDirFS is a connected host whose destination named a directory.
type startDirFS struct {
	*rootedFS
	dir string
}

func (s startDirFS) StartDir() string { return s.dir }

// destConnect connects to any destination as cmd/ferry does: the path the
// destination names (parsed by config, as cmd/ferry's connect parses it)
// is where the pane starts; its login directory is "/".
func destConnect(root string) ConnectFunc {
	return func(_ context.Context, dest string, _ Asker) (transfer.FS, error) {
		d, err := config.ParseDestination(dest)
		if err != nil {
			return nil, err
		}
		return startDirFS{&rootedFS{label: d.Host, base: root}, d.Path}, nil
	}
}

func TestPickerOpensTypedPath(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "sub/deeper/inside.txt"}, file{name: "top.txt"})
	tests := []struct {
		typed, path string
		names       []string
	}{
		{"web1:sub/deeper", "/sub/deeper", []string{"inside.txt"}},
		{"web1:/sub", "/sub", []string{"deeper"}},
		{"deploy@web1:sub", "/sub", []string{"deeper"}},
		{"sftp://deploy@web1:2222/sub/deeper", "/sub/deeper", []string{"inside.txt"}},
		{"sftp://web1/~/sub", "/sub", []string{"deeper"}},
		{"web1:~/sub/deeper", "/sub/deeper", []string{"inside.txt"}},
		{"web1:", "/", []string{"sub", "top.txt"}},
		{"web1", "/", []string{"sub", "top.txt"}},
	}
	for _, tt := range tests {
		m := pickerModel(t, destConnect(root))
		typeText(t, m, tt.typed)
		settle(t, m, press(t, m, "enter"))
		p := &m.panes[rightSide]
		if m.stack.top() != nil || p.FS() == nil || p.Path() != tt.path || !slices.Equal(names(p), tt.names) {
			t.Errorf("%q: overlay %T, right pane at %q with %q, want %q with %q; status %q",
				tt.typed, m.stack.top(), p.Path(), names(p), tt.path, tt.names, statusText(m))
			continue
		}
		if !strings.Contains(screen(m), "web1:"+tt.path) {
			t.Errorf("%q: header does not read web1:%s:\n%s", tt.typed, tt.path, screen(m))
		}
		if s := statusText(m); strings.Contains(s, "cannot") {
			t.Errorf("%q: status %q", tt.typed, s)
		}
	}
}

func TestPickerMissingPathOpensLoginDir(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "top.txt"})
	m := pickerModel(t, destConnect(root))
	m.Update(tea.PasteMsg{Content: "web1:gone/red"})
	settle(t, m, press(t, m, "enter"))
	p := &m.panes[rightSide]
	if m.stack.top() != nil || p.Path() != "/" || !slices.Equal(names(p), []string{"top.txt"}) {
		t.Fatalf("overlay %T, right pane at %q with %q", m.stack.top(), p.Path(), names(p))
	}
	want := "cannot list /gone/red: no such file or directory; showing / instead"
	if s := statusText(m); s != want {
		t.Errorf("status %q, want %q", s, want)
	}
}

func TestStartDirsRelativeAndMissing(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "some/dir/a.txt", content: "from a"}, file{name: "b.txt"})
	m := start(t, Options{
		Left: &rootedFS{label: "local", base: root}, LeftDir: "some/dir",
		Right: &rootedFS{label: "web1", base: root}, RightDir: "missing/\x1b[31mdir",
	}, 100, 24)
	l, r := &m.panes[leftSide], &m.panes[rightSide]
	if l.Path() != "/some/dir" || !slices.Equal(names(l), []string{"a.txt"}) {
		t.Errorf("left pane at %q with %q, want /some/dir", l.Path(), names(l))
	}
	if r.Path() != "/" || !slices.Equal(names(r), []string{"some", "b.txt"}) {
		t.Errorf("right pane at %q with %q, want the login directory", r.Path(), names(r))
	}
	if s := statusText(m); s != `cannot list /missing/\x1b[31mdir: no such file or directory; showing / instead` {
		t.Errorf("status %q", s)
	}
	if strings.Contains(m.View().Content, "\x1b[31mdir") {
		t.Error("raw escape on screen")
	}
}

func TestRelativeStartDirCopies(t *testing.T) {
	t.Parallel()
	src, dst := makeTree(t, file{name: "some/dir/a.txt", content: "from a"}), t.TempDir()
	e := transfer.New(transfer.Options{Workers: 1})
	t.Cleanup(func() { e.Close() })
	m := start(t, Options{
		Left: &rootedFS{label: "web1", base: src}, LeftDir: "some/dir",
		Right: local.New(), RightDir: dst, Engine: e,
	}, 100, 24)
	r := newRunner(t, m)
	r.press("f5")
	r.waitFor("the copy dialog", func() bool { return strings.Contains(screen(m), "Copy a.txt to local:") })
	r.press("enter")
	r.waitFor("the copy", func() bool {
		b, err := os.ReadFile(filepath.Join(dst, "a.txt"))
		return err == nil && string(b) == "from a"
	})
	if s := statusText(m); strings.Contains(s, "absolute") {
		t.Errorf("status %q", s)
	}
}

func TestLocalRelativeStartDir(t *testing.T) {
	t.Parallel()
	m := start(t, Options{Left: local.New(), LeftDir: ".", Right: local.New(), RightDir: t.TempDir()}, 100, 24)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if p := m.panes[leftSide].Path(); p != wd {
		t.Errorf("left pane at %q, want %q", p, wd)
	}
}

func TestHeaderAt80ColumnsKeepsHostLabel(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "srv/www/example.org/releases/2025-06-15/index.html"})
	deep := "/srv/www/example.org/releases/2025-06-15"
	for _, width := range []int{80, 50} {
		m := start(t, Options{
			Left: &rootedFS{label: "local", base: root}, LeftDir: deep,
			Right: &rootedFS{label: "web1.example.org", base: root}, RightDir: deep,
		}, width, 10)
		head := strings.SplitN(screen(m), "\n", 2)[0]
		left, right, ok := strings.Cut(head, "│")
		if !ok {
			t.Fatalf("width %d: no separator in %q", width, head)
		}
		if !strings.HasPrefix(left, " local:…") || !strings.HasPrefix(right, " web1.example.org:…") {
			t.Errorf("width %d: header %q lost a host label", width, head)
		}
		if width == 80 && (!strings.Contains(left, "2025-06-15 ") || !strings.Contains(right, "2025-06-15 ")) {
			t.Errorf("width %d: header %q lost the path's end", width, head)
		}
	}
}
