package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
)

// RangeWriter is implemented by file systems that can write one large file
// as several byte ranges at once, each over its own channel to the server
// (remote.FS: extra SFTP channels on the same SSH connection). One SSH
// channel carries at most about one window per round trip, so a single
// stream cannot fill a fast link or a long one.
type RangeWriter interface {
	// RangeParts is how many ranges may be written at once, counting the
	// one written through the file's own handle; 1 means no ranges.
	RangeParts() int
	// OpenRangeWriter opens the existing file name for writing at off
	// over extra channel part (1 to RangeParts()-1). The writer should
	// implement ReadFromWithConcurrency.
	OpenRangeWriter(ctx context.Context, name string, part int, off int64) (io.WriteCloser, error)
}

const (
	// rangeMinFile is the smallest upload split into ranges.
	rangeMinFile = 32 << 20
	// rangeMinPart is the smallest range.
	rangeMinPart = 8 << 20
)

// rangeParts says into how many ranges an upload of remaining bytes to
// dfs is split; below 2 it is not split.
func rangeParts(dfs FS, remaining int64) int {
	rw, ok := dfs.(RangeWriter)
	if !ok || remaining < rangeMinFile {
		return 1
	}
	return int(min(int64(rw.RangeParts()), remaining/rangeMinPart))
}

// rangedUpload writes src from off to size into the temporary file as
// parts byte ranges at once: the first through dst (the temporary file's
// own handle, positioned at off), the others through writers the
// destination opens on its extra channels.
//
// A file written this way can have holes until every range is done, so its
// resume record is removed first: an interrupted ranged upload starts over
// instead of resuming from a size that would not mean "everything before
// this arrived".
func (w *safeWrite) rangedUpload(dst concurrentReaderFrom, src *os.File, off, size int64, parts int) (int64, error) {
	rw := w.dfs.(RangeWriter)
	if w.metaMade {
		if err := w.dfs.Remove(w.ctx, w.meta); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return 0, fmt.Errorf("remove resume record before a ranged upload: %w", err)
		}
		w.metaMade = false
	}
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	p := &progress{ctx: ctx, e: w.e, j: w.j}
	chunk := (size - off) / int64(parts)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int64
		first error
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
			cancel()
		}
		mu.Unlock()
	}
	for i := 0; i < parts; i++ {
		start := off + int64(i)*chunk
		length := chunk
		if i == parts-1 {
			length = size - start
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := w.writeRange(ctx, rw, dst, src, i, start, length, p)
			mu.Lock()
			total += n
			mu.Unlock()
			if err == nil && n != length {
				err = fmt.Errorf("range at %d: wrote %d of %d bytes: %w", start, n, length, ErrShortWrite)
			}
			if err != nil {
				fail(err)
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return total, explain(w.dfs, "write", w.tmp, first)
	}
	return total, nil
}

// writeRange copies length bytes of src at start through part's writer.
func (w *safeWrite) writeRange(ctx context.Context, rw RangeWriter, own concurrentReaderFrom, src *os.File, part int, start, length int64, p *progress) (int64, error) {
	body := &countingReader{r: io.NewSectionReader(src, start, length), p: p}
	if part == 0 {
		return own.ReadFromWithConcurrency(body, 0)
	}
	wc, err := rw.OpenRangeWriter(ctx, w.tmp, part, start)
	if err != nil {
		return 0, err
	}
	rf, ok := wc.(concurrentReaderFrom)
	if !ok {
		wc.Close()
		return 0, fmt.Errorf("range writer for %s has no concurrent writes", w.tmp)
	}
	n, err := rf.ReadFromWithConcurrency(body, 0)
	if cerr := wc.Close(); err == nil {
		err = cerr
	}
	return n, err
}
