package transfer

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestValidName(t *testing.T) {
	t.Parallel()
	for _, n := range []string{"a", ".bashrc", "a b", "ü", "...", "a\\b"} {
		if !validName(n) {
			t.Errorf("validName(%q) = false", n)
		}
	}
	for _, n := range []string{"", ".", "..", "a/b", "/", "../x", "x\x00"} {
		if validName(n) {
			t.Errorf("validName(%q) = true", n)
		}
	}
}

func TestNumbered(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"a.txt":      "a (1).txt",
		".bashrc":    ".bashrc (1)",
		"noext":      "noext (1)",
		"x.tar.gz":   "x.tar (1).gz",
		"trailing.":  "trailing (1).",
		"..hidden.x": "..hidden (1).x",
	} {
		if got := numbered(in, 1); got != want {
			t.Errorf("numbered(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHiddenNameStaysShort(t *testing.T) {
	t.Parallel()
	if got := hiddenName("a.txt", partSuffix); got != ".a.txt.ferry-part" {
		t.Errorf("hiddenName = %q", got)
	}
	long := strings.Repeat("x", 250)
	got := hiddenName(long, partSuffix)
	if len(got)+len(metaSuffix) > maxNameLen || !strings.HasSuffix(got, partSuffix) {
		t.Errorf("hiddenName(250 x) = %q (%d bytes)", got, len(got))
	}
	if got == hiddenName(strings.Repeat("y", 250), partSuffix) {
		t.Error("two long names share a temporary name")
	}
}

func TestLinkInside(t *testing.T) {
	t.Parallel()
	root := "/src/tree"
	cases := []struct {
		link, target, want string
		ok                 bool
	}{
		{"/src/tree/a", "b", "b", true},
		{"/src/tree/d/a", "../b", "../b", true},
		{"/src/tree/d/a", "../../b", "", false},
		{"/src/tree/a", ".", ".", true},
		{"/src/tree/a", "..", "", false},
		{"/src/tree/d/e/a", "/src/tree/x/y", "../../x/y", true},
		{"/src/tree/a", "/src/tree", ".", true},
		{"/src/tree/a", "/src/treehouse/x", "", false},
		{"/src/tree/a", "/etc/passwd", "", false},
		{"/src/tree/a", "d/../../tree/x", "d/../../tree/x", true},
		{"/src/tree/a", "", "", false},
	}
	for _, c := range cases {
		got, ok := linkInside(c.link, root, c.target)
		if got != c.want || ok != c.ok {
			t.Errorf("linkInside(%q -> %q) = %q, %v; want %q, %v", c.link, c.target, got, ok, c.want, c.ok)
		}
	}
}

func TestPartMetaRoundTrip(t *testing.T) {
	t.Parallel()
	for _, m := range []partMeta{
		{size: 123456789, mtime: time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC).UnixNano()},
		{size: 100, mtime: 7, ranges: []rangeMark{{0, 10}, {50, 60}}},
	} {
		got, err := parsePartMeta(m.encode())
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Fatalf("round trip: %+v, %v", got, err)
		}
	}
	for _, bad := range []string{"", "ferry-part 2\nsize 1\nmtime 1\n", "ferry-part 1\nsize x\nmtime 1\n", "ferry-part 1\nsize 1\nowner 1\n", "ferry-part 1\nsize 1\n",
		"ferry-part 1\nsize 100\nmtime 1\nrange 10 20\n",             // does not start at 0
		"ferry-part 1\nsize 100\nmtime 1\nrange 0 20\nrange 10 30\n", // overlaps
		"ferry-part 1\nsize 100\nmtime 1\nrange 0 200\n",             // past the end
		"ferry-part 1\nsize 100\nmtime 1\nrange 0 5 9\n"} {
		if _, err := parsePartMeta([]byte(bad)); err == nil {
			t.Errorf("parsePartMeta(%q) accepted", bad)
		}
	}
}

func TestRootFSRefusesToLeave(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	dir := filepath.Join(base, "dest")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// A symbolic link planted in the destination that points outside it.
	if err := os.Symlink(base, filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	r := &rootFS{label: "local", dir: dir, root: root}
	ctx := t.Context()
	if _, err := r.CreateExcl(ctx, filepath.Join(base, "x"), 0o644); !errors.Is(err, ErrOutsideRoot) {
		t.Errorf("create outside: %v", err)
	}
	if _, err := r.CreateExcl(ctx, filepath.Join(dir, "out", "x"), 0o644); err == nil {
		t.Error("create through a link out of the root succeeded")
	}
	if err := r.Mkdir(ctx, filepath.Join(dir, "..", "y"), 0o755); err == nil {
		t.Error("mkdir outside succeeded")
	}
	if _, err := os.Stat(filepath.Join(base, "x")); err == nil {
		t.Error("a file landed outside the root")
	}
	if _, err := r.OpenFile(ctx, filepath.Join(dir, "z"), os.O_CREATE|os.O_WRONLY); err == nil {
		t.Error("OpenFile created a file")
	}
}

func TestWithin(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		parent, child string
		want          bool
	}{
		{"/a", "/a", true}, {"/a", "/a/b", true}, {"/a", "/ab", false}, {"/", "/x", true}, {"/a/", "/a/b", true},
	} {
		if got := Within(c.parent, c.child, "/"); got != c.want {
			t.Errorf("Within(%q, %q) = %v", c.parent, c.child, got)
		}
	}
}
