package mirror

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// timeDiffers compares modification times within window and returns why
// they differ ("newer", "older") or "" when they count as equal.
func timeDiffers(src, dst time.Time, window time.Duration) string {
	diff := src.Sub(dst)
	switch {
	case diff >= window:
		return "newer"
	case -diff >= window:
		return "older"
	}
	return ""
}

// hashJob is a pair of same-size files to compare by content.
type hashJob struct {
	rel  string
	size int64
}

// hash compares the pending pairs by content, HashParallel at a time,
// both sides of a pair read at once.
func (w *walker) hash() error {
	if w.ctx.Err() != nil || len(w.pending) == 0 {
		return nil
	}
	w.toHash.Store(int64(len(w.pending)))
	jobs := make(chan hashJob)
	var wg sync.WaitGroup
	for range w.p.Options.HashParallel {
		wg.Go(func() {
			for j := range jobs {
				same, err := w.sameContent(j.rel)
				if err != nil {
					w.fail(err)
					continue
				}
				w.hashed.Add(1)
				if !same {
					w.add(Action{Kind: Changed, Path: j.rel, Type: transfer.KindFile, Size: j.size, Reason: "contents differ"})
				}
			}
		})
	}
	for _, j := range w.pending {
		if w.ctx.Err() != nil {
			break
		}
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	return nil
}

// sameContent hashes rel on both sides at once and compares the sums.
func (w *walker) sameContent(rel string) (bool, error) {
	var srcSum, dstSum []byte
	var srcErr, dstErr error
	var wg sync.WaitGroup
	wg.Go(func() { dstSum, dstErr = sumFile(w.ctx, w.p.Dst, w.dstPath(rel)) })
	srcSum, srcErr = sumFile(w.ctx, w.p.Src, w.srcPath(rel))
	wg.Wait()
	if srcErr != nil {
		return false, srcErr
	}
	if dstErr != nil {
		return false, dstErr
	}
	return string(srcSum) == string(dstSum), nil
}

// sumFile returns the SHA-256 of the file p on fsys, read as a stream.
func sumFile(ctx context.Context, fsys transfer.FS, p string) ([]byte, error) {
	r, err := fsys.Open(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("checksum %s: %w", p, err)
	}
	defer r.Close()
	// Closing the file when ctx ends stops the copy; io.Copy uses the
	// remote file's WriteTo, which reads with many requests in flight.
	stop := context.AfterFunc(ctx, func() { r.Close() })
	defer stop()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return nil, fmt.Errorf("checksum %s: %w", p, err)
	}
	return h.Sum(nil), nil
}
