package pane

import (
	"fmt"
	"io/fs"
	"testing"
	"time"
)

// bigEntries is the size of the large directory the benchmarks use.
const bigEntries = 100_000

// bigInfos returns a listing of n files (one in ten a directory), with
// names of 15 to 20 bytes and varied sizes and times.
func bigInfos(n int) []fs.FileInfo {
	now := time.Date(2025, time.June, 15, 12, 0, 0, 0, time.UTC)
	infos := make([]fs.FileInfo, n)
	for i := range infos {
		infos[i] = fakeInfo{
			name:  fmt.Sprintf("File-%07d-%x.dat", (i*7919)%n, i%4096),
			size:  int64(i * 37 % 1000003),
			dir:   i%10 == 0,
			mtime: now.Add(-time.Duration(i*7) * time.Minute),
		}
	}
	return infos
}

// BenchmarkSort100k measures sorting 100,000 entries, which runs in a Cmd.
func BenchmarkSort100k(b *testing.B) {
	entries := newEntries(bigInfos(bigEntries))
	for _, spec := range []sortSpec{{key: byName}, {key: bySize}, {key: byTime}} {
		b.Run(spec.label(), func(b *testing.B) {
			for b.Loop() {
				sortOrder(entries, spec, nil)
			}
		})
	}
}

// BenchmarkLoad100k measures turning a listing of 100,000 entries into a
// sorted pane listing, the work of the listing Cmd after ReadDir.
func BenchmarkLoad100k(b *testing.B) {
	infos := bigInfos(bigEntries)
	b.ReportAllocs()
	for b.Loop() {
		entries := newEntries(infos)
		sortOrder(entries, sortSpec{}, nil)
	}
}
