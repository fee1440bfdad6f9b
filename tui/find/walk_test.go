package find

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

func TestMatcher(t *testing.T) {
	for _, c := range []struct {
		pattern, name string
		want          bool
	}{
		{"read", "README.md", true},
		{"READ", "readme", true},
		{"*.MD", "notes.md", true},
		{"*.md", "notes.mdx", false},
		{"a?c", "ABC", true},
		{"[", "a[b", true}, // a bad glob is a substring
		{"x", "abc", false},
	} {
		if got := NewMatcher(c.pattern)(c.name); got != c.want {
			t.Errorf("NewMatcher(%q)(%q) = %v", c.pattern, c.name, got)
		}
	}
}

// tree makes dirs directories of files files each under a temp dir.
func tree(t testing.TB, dirs, files int) string {
	t.Helper()
	root := t.TempDir()
	for d := range dirs {
		dir := filepath.Join(root, "d"+itoa(d%7), "sub"+itoa(d))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for f := range files {
			if err := os.WriteFile(filepath.Join(dir, "f"+itoa(f)+".txt"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root
}

func itoa(i int) string { return string(rune('a'+i/26%26)) + string(rune('a'+i%26)) }

// collect reads every batch of ch.
func collect(ch <-chan Batch) (all []Match, last Batch) {
	for b := range ch {
		all = append(all, b.Matches...)
		last = b
	}
	return all, last
}

func TestWalkFindsEveryMatch(t *testing.T) {
	root := tree(t, 30, 5)
	ch := Walk(t.Context(), local.New(), root, NewMatcher("FAC.TXT"), 4, time.Millisecond)
	all, last := collect(ch)
	if !last.Done || len(all) != 30 || last.Dirs != 1+7+30 {
		t.Fatalf("got %d matches, last %+v", len(all), last)
	}
	var dirs []string
	for _, m := range all {
		if m.Name != "fac.txt" || m.IsDir {
			t.Fatalf("bad match %+v", m)
		}
		dirs = append(dirs, m.Dir)
	}
	sort.Strings(dirs)
	for i := 1; i < len(dirs); i++ {
		if dirs[i] == dirs[i-1] {
			t.Fatalf("%s reported twice", dirs[i])
		}
	}
}

// gatedFS counts ReadDir calls and, once armed, holds every ReadDir until
// its context ends, tracking how many run at once.
type gatedFS struct {
	transfer.FS
	hold            atomic.Bool
	calls, inFlight atomic.Int64
	mu              sync.Mutex
	peak            int64
}

func (g *gatedFS) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	g.calls.Add(1)
	n := g.inFlight.Add(1)
	defer g.inFlight.Add(-1)
	g.mu.Lock()
	g.peak = max(g.peak, n)
	g.mu.Unlock()
	if g.hold.Load() {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	time.Sleep(2 * time.Millisecond) // a round trip, so listings overlap
	return g.FS.ReadDir(ctx, name)
}

func TestWalkListsSeveralDirectoriesAtOnceButNoMore(t *testing.T) {
	root := tree(t, 60, 1)
	g := &gatedFS{FS: local.New()}
	_, last := collect(Walk(t.Context(), g, root, NewMatcher("nothing"), 6, time.Millisecond))
	if !last.Done {
		t.Fatal("no last batch")
	}
	if g.peak < 2 || g.peak > 6 {
		t.Fatalf("%d directories listed at once, want 2..6", g.peak)
	}
}

func TestCancelStopsTheWalk(t *testing.T) {
	root := tree(t, 60, 1)
	g := &gatedFS{FS: local.New()}
	g.hold.Store(true) // every listing hangs until cancelled
	ctx, cancel := context.WithCancel(t.Context())
	ch := Walk(ctx, g, root, NewMatcher("f"), 4, time.Millisecond)
	deadline := time.Now().Add(5 * time.Second)
	for g.inFlight.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the walk never listed anything")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	done := make(chan struct{})
	go func() { collect(ch); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("the walk did not end within 2 s of the cancel")
	}
	calls := g.calls.Load()
	if g.inFlight.Load() != 0 {
		t.Fatal("listings still running after the walk ended")
	}
	if calls != 1 {
		t.Fatalf("%d listings; only the root's could start before the cancel", calls)
	}
}

func TestWalkStopsAtTheLimit(t *testing.T) {
	root := tree(t, 40, 5)
	all, last := collect(walk(t.Context(), local.New(), root, NewMatcher(""), 4, time.Millisecond, 50))
	if len(all) != 50 || !last.Full || !last.Done {
		t.Fatalf("%d matches, last %+v", len(all), last)
	}
}
