package mirror

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// gatedFS holds the listing of one directory until gate is closed.
type gatedFS struct {
	transfer.FS
	dir  string
	gate chan struct{}
}

func (g gatedFS) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	if name == g.dir {
		select {
		case <-g.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return g.FS.ReadDir(ctx, name)
}

// TestPlanEarlyCopiesWhileWalking hands the copy request out early
// (Options.Early): a changed file in a directory already compared is
// copied while another directory's listing still hangs, and once the
// walk ends the batch has copied exactly the plan: unchanged files and
// excluded ones untouched, the trees equal.
func TestPlanEarlyCopiesWhileWalking(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), t.TempDir()
	for _, root := range []string{src, dst} {
		put(t, root, "fast/same", "same")
		put(t, root, "slow/same", "same")
		put(t, root, "skip/x.tmp", "old")
	}
	put(t, src, "fast/changed", "new contents")
	put(t, dst, "fast/changed", "old")
	put(t, src, "slow/changed", "new contents")
	put(t, src, "skip/x.tmp", "new, but excluded")
	put(t, src, "newdir/sub/f", "f")
	before := inode(t, filepath.Join(dst, "fast/same"))

	gate := make(chan struct{})
	srcFS := gatedFS{local.New(), filepath.Join(src, "slow"), gate}
	eng := transfer.New(transfer.Options{Workers: 4})
	defer eng.Close()
	var b *transfer.Batch
	filter, err := NewFilter([]Rule{{Pattern: "*.tmp"}})
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Filter: filter, Early: func(req transfer.Request) {
		var err error
		if b, err = eng.Submit(req); err != nil {
			t.Error(err)
		}
	}}
	type result struct {
		p   *Plan
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := MakePlan(t.Context(), srcFS, src, local.New(), dst, o)
		done <- result{p, err}
	}()
	for deadline := time.Now().Add(10 * time.Second); ; {
		if data, _ := os.ReadFile(filepath.Join(dst, "fast/changed")); string(data) == "new contents" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("fast/changed was not copied while the walk waited")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case r := <-done:
		t.Fatalf("the plan ended with the listing held: %v", r.err)
	default:
	}
	close(gate)
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	if !r.p.Early {
		t.Fatal("Plan.Early not set")
	}
	if _, ok := r.p.Request(); ok {
		t.Error("Request offered again after the early one")
	}
	if _, err := b.Wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := r.p.FixDirs(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dst, "skip/x.tmp")); string(got) != "old" {
		t.Errorf("excluded file copied: %q", got)
	}
	put(t, src, "skip/x.tmp", "old")
	sameTree(t, src, dst)
	if inode(t, filepath.Join(dst, "fast/same")) != before {
		t.Error("an unchanged file was copied")
	}
}
