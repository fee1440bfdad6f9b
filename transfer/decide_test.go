package transfer_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// pairFS records how many Lstats of names starting with prefix are in
// flight at once: each waits (up to a few seconds) for a second one.
type pairFS struct {
	transfer.FS
	prefix string

	mu       sync.Mutex
	cond     *sync.Cond
	inflight int
	most     int
	names    []string
}

func (p *pairFS) Lstat(ctx context.Context, name string) (fs.FileInfo, error) {
	if strings.HasPrefix(name, p.prefix) {
		p.mu.Lock()
		p.inflight++
		p.most = max(p.most, p.inflight)
		p.names = append(p.names, filepath.Base(name))
		p.cond.Broadcast()
		deadline := time.Now().Add(3 * time.Second)
		for p.inflight < 2 && p.most < 2 && time.Now().Before(deadline) {
			timer := time.AfterFunc(50*time.Millisecond, p.cond.Broadcast)
			p.cond.Wait()
			timer.Stop()
		}
		p.inflight--
		p.mu.Unlock()
	}
	return p.FS.Lstat(ctx, name)
}

// TestDecideLooksAtDestinationAndPartialAtOnce: for a large file whose
// destination is missing, the engine looks for an interrupted copy's
// temporary file at the same time as at the destination, one round trip
// on a server instead of two.
func TestDecideLooksAtDestinationAndPartialAtOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "big")
	writeFile(t, src, randomBytes(9<<20), 0o644, baseTime)
	dst := filepath.Join(dir, "out", "big")
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	p := &pairFS{FS: localFS(), prefix: filepath.Dir(dst) + string(filepath.Separator)}
	p.cond = sync.NewCond(&p.mu)
	e, _ := newEngine(t, transfer.Options{Workers: 1})
	run(t, e, transfer.Request{Src: localFS(), Dst: p, Items: []transfer.Item{{Src: src, Dst: dst}}})
	onlyDone(t, e)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.most < 2 {
		t.Errorf("Lstats of %v went one after another, want the destination and the temporary file at once", p.names)
	}
}
