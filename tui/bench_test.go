package tui

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/transfer"
)

// bigEntries is the size of the large directory the benchmarks use.
const bigEntries = 100_000

// bigFS is an in-memory file system whose root holds n files (one in ten
// a directory), with names of 15 to 20 bytes and varied sizes and times.
type bigFS struct {
	transfer.FS // nil: nothing else is called
	n           int
}

func (b *bigFS) Label() string                        { return "big" }
func (b *bigFS) Home(context.Context) (string, error) { return "/", nil }
func (b *bigFS) Join(elem ...string) string           { return path.Join(elem...) }
func (b *bigFS) Separator() string                    { return "/" }
func (b *bigFS) Dir(name string) string               { return path.Dir(name) }
func (b *bigFS) Base(name string) string              { return path.Base(name) }
func (b *bigFS) ReadDir(context.Context, string) ([]fs.FileInfo, error) {
	infos := make([]fs.FileInfo, b.n)
	for i := range infos {
		infos[i] = benchInfo{
			name:  fmt.Sprintf("File-%07d-%x.dat", (i*7919)%b.n, i%4096),
			size:  int64(i * 37 % 1000003),
			dir:   i%10 == 0,
			mtime: fixedNow.Add(-time.Duration(i*7) * time.Minute),
		}
	}
	return infos, nil
}

// benchInfo is an fs.FileInfo built in memory.
type benchInfo struct {
	name  string
	size  int64
	dir   bool
	mtime time.Time
}

func (f benchInfo) Name() string { return f.name }
func (f benchInfo) Size() int64  { return f.size }
func (f benchInfo) Mode() fs.FileMode {
	if f.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}
func (f benchInfo) ModTime() time.Time { return f.mtime }
func (f benchInfo) IsDir() bool        { return f.dir }
func (f benchInfo) Sys() any           { return nil }

// bigModel returns a 120x40 model whose focused left pane lists
// bigEntries entries.
func bigModel(tb testing.TB) *Model {
	m := start(tb, Options{Left: &bigFS{n: bigEntries}, Right: &bigFS{n: 10}}, 120, 40)
	if n := m.panes[leftSide].Rows(); n != bigEntries {
		tb.Fatalf("%d rows", n)
	}
	return m
}

// keyAndView is one key press as the program handles it: Update, then View.
func keyAndView(m *Model, k tea.KeyPressMsg) {
	m.Update(k)
	_ = m.View()
}

// BenchmarkKeyPress100k measures one cursor key press (Update + View) on a
// pane of 100,000 entries, going down and up in runs of 1000.
func BenchmarkKeyPress100k(b *testing.B) {
	m := bigModel(b)
	down, up := keyMsg("j"), keyMsg("k")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i/1000%2 == 0 {
			keyAndView(m, down)
		} else {
			keyAndView(m, up)
		}
	}
}

// BenchmarkKeys100k measures other keys on the same pane; those marked
// O(n) touch every entry.
func BenchmarkKeys100k(b *testing.B) {
	for _, tt := range []struct {
		name string
		keys []string
	}{
		{"pgdown pgup", []string{"pgdown", "pgup"}},
		{"G g", []string{"G", "g"}},
		{"space", []string{"space"}},
		{"invert O(n)", []string{"*"}},
		{"hidden O(n)", []string{"."}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			m := bigModel(b)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				keyAndView(m, keyMsg(tt.keys[i%len(tt.keys)]))
			}
		})
	}
	b.Run("filter keystroke O(n)", func(b *testing.B) {
		m := bigModel(b)
		press(b, m, "/")
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			if i%2 == 0 {
				keyAndView(m, tea.KeyPressMsg{Code: '7', Text: "7"})
			} else {
				keyAndView(m, keyMsg("backspace"))
			}
		}
	})
}

// TestMemoryPerEntry measures the heap a listing keeps per entry: the entry
// itself, its share of the order, rows and selection, and the name's bytes.
// The names here are 15 to 20 bytes of plain ASCII. It does not run in
// parallel: the heap it reads is the whole process's, and other tests'
// allocations once pushed it to 288 bytes.
func TestMemoryPerEntry(t *testing.T) {
	var before, after runtime.MemStats
	m := start(t, Options{Left: &bigFS{n: 10}, Right: &bigFS{n: 10}}, 120, 40)
	runtime.GC()
	runtime.ReadMemStats(&before)
	cmd := m.panes[leftSide].SetFS(&bigFS{n: bigEntries})
	settle(t, m, cmd)
	runtime.GC()
	runtime.ReadMemStats(&after)
	perEntry := float64(after.HeapAlloc-before.HeapAlloc) / bigEntries
	runtime.KeepAlive(m)
	t.Logf("%.0f bytes of heap per entry (%d entries, %.1f MiB)", perEntry, bigEntries, float64(after.HeapAlloc-before.HeapAlloc)/(1<<20))
	if perEntry > 200 {
		t.Errorf("%.0f bytes per entry, want at most 200", perEntry)
	}
	if n := m.panes[leftSide].Rows(); n != bigEntries {
		t.Fatalf("%d rows", n)
	}
}

// TestKeyPressAllocs bounds the allocations of one key press on a huge pane:
// they must not grow with the listing.
func TestKeyPressAllocs(t *testing.T) {
	m := bigModel(t)
	down := keyMsg("j")
	allocs := testing.AllocsPerRun(200, func() { keyAndView(m, down) })
	t.Logf("%.0f allocations per key press on %d entries", allocs, bigEntries)
	small := start(t, Options{Left: &bigFS{n: 100}, Right: &bigFS{n: 10}}, 120, 40)
	smallAllocs := testing.AllocsPerRun(200, func() { keyAndView(small, down) })
	if allocs > smallAllocs*1.5+50 {
		t.Errorf("%.0f allocations on %d entries against %.0f on 100: a key press grows with the listing", allocs, bigEntries, smallAllocs)
	}
}
