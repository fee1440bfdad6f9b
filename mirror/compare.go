package mirror

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"slices"
	"sync"
	"sync/atomic"
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
	rel           string
	size          int64
	mode, dstMode fs.FileMode // permission bits of both sides
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
				same, err := true, error(nil)
				if j.size > 0 { // two empty files are the same (and check-file refuses them)
					same, err = w.sameContent(j.rel)
				}
				if err != nil {
					w.fail(err)
					continue
				}
				w.hashed.Add(1)
				if !same {
					w.add(Action{Kind: Changed, Path: j.rel, Type: transfer.KindFile, Size: j.size, Reason: "contents differ"})
				} else {
					w.chmod(j.rel, j.mode, j.dstMode)
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

// hashAlgos are the algorithms asked of a server, best first; each is one
// that newHash knows, so the other side can always be read and hashed
// the same way.
var hashAlgos = []string{"sha256", "sha512", "sha384", "sha224", "sha1", "md5"}

// newHash returns a hash of the algorithm a server named, nil if unknown.
func newHash(algo string) hash.Hash {
	switch algo {
	case "sha256":
		return sha256.New()
	case "sha224":
		return sha256.New224()
	case "sha512":
		return sha512.New()
	case "sha384":
		return sha512.New384()
	case "sha1":
		return sha1.New()
	case "md5":
		return md5.New()
	}
	return nil
}

// side is one tree's ways of hashing a file.
type side struct {
	fsys  transfer.FS
	path  string
	sum   SumFunc      // the server's hash, or nil
	noSum *atomic.Bool // set once sum said unsupported
}

// sides returns the source's and the destination's ways for rel.
func (w *walker) sides(rel string) (side, side) {
	o := w.p.Options
	return side{w.p.Src, w.srcPath(rel), o.SrcSum, &w.srcNoSum},
		side{w.p.Dst, w.dstPath(rel), o.DstSum, &w.dstNoSum}
}

// serverSum asks s's server for a hash with one of algos; ok is false
// when it has none to give (no SumFunc, or it said unsupported, or it
// used an algorithm this side cannot compute).
func (w *walker) serverSum(s side, algos []string) (algo string, sum []byte, ok bool, err error) {
	if s.sum == nil || s.noSum.Load() {
		return "", nil, false, nil
	}
	algo, sum, err = s.sum(w.ctx, s.path, algos)
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		s.noSum.Store(true)
		return "", nil, false, nil
	case err != nil:
		return "", nil, false, fmt.Errorf("checksum %s: %w", s.path, err)
	case !slices.Contains(algos, algo):
		s.noSum.Store(true) // a server answering with what it was not asked
		return "", nil, false, nil
	}
	w.served.Add(1)
	return algo, sum, true, nil
}

// sumOf hashes s's file with algo: by its server if it can, else read.
func (w *walker) sumOf(s side, algo string) ([]byte, error) {
	if _, sum, ok, err := w.serverSum(s, []string{algo}); ok || err != nil {
		return sum, err
	}
	return sumFile(w.ctx, s.fsys, s.path, newHash(algo))
}

// sameContent compares rel's contents on both sides by their hashes. A
// server that hashes files (Options.SrcSum, Options.DstSum) is asked
// first, and the other side is hashed with the algorithm it chose, by
// its own server or read; else both sides are read at once (SHA-256).
func (w *walker) sameContent(rel string) (bool, error) {
	src, dst := w.sides(rel)
	for _, pair := range [][2]side{{src, dst}, {dst, src}} {
		algo, first, ok, err := w.serverSum(pair[0], hashAlgos)
		if err != nil {
			return false, err
		}
		if ok {
			other, err := w.sumOf(pair[1], algo)
			if err != nil {
				return false, err
			}
			return bytes.Equal(first, other), nil
		}
	}
	var srcSum, dstSum []byte
	var srcErr, dstErr error
	var wg sync.WaitGroup
	wg.Go(func() { dstSum, dstErr = sumFile(w.ctx, dst.fsys, dst.path, sha256.New()) })
	srcSum, srcErr = sumFile(w.ctx, src.fsys, src.path, sha256.New())
	wg.Wait()
	if srcErr != nil {
		return false, srcErr
	}
	if dstErr != nil {
		return false, dstErr
	}
	return bytes.Equal(srcSum, dstSum), nil
}

// sumFile returns the hash h of the file p on fsys, read as a stream.
func sumFile(ctx context.Context, fsys transfer.FS, p string, h hash.Hash) ([]byte, error) {
	r, err := fsys.Open(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("checksum %s: %w", p, err)
	}
	defer r.Close()
	// Closing the file when ctx ends stops the copy; io.Copy uses the
	// remote file's WriteTo, which reads with many requests in flight.
	stop := context.AfterFunc(ctx, func() { r.Close() })
	defer stop()
	if _, err := io.Copy(h, r); err != nil {
		return nil, fmt.Errorf("checksum %s: %w", p, err)
	}
	return h.Sum(nil), nil
}
