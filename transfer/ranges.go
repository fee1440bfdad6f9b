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

// rangeDisabler is implemented by file systems whose byte ranges can be
// turned off for the rest of the session (remote.FS): DisableRanges
// returns true the first time.
type rangeDisabler interface {
	DisableRanges(reason string) bool
}

// rangesFailed turns ranges off on w's destination after a ranged upload
// failed or stalled for a reason other than a cancel, and says so once.
// Servers that mishandle several channels writing one file are better
// served by one stream; the job is tried again that way.
func (w *safeWrite) rangesFailed(err error) {
	w.e.mu.Lock()
	cancelled := w.j.cancelReq || w.e.closed
	stalled := w.j.stalled
	w.e.mu.Unlock()
	if cancelled {
		return
	}
	if stalled {
		err = ErrStalled
	}
	w.j.rangesFailed = true
	d, ok := w.dfs.(rangeDisabler)
	if ok && d.DisableRanges(oneLine(err)) {
		w.e.notice(w.j.b, w.dst, fmt.Sprintf("%s: large files go as one stream from now on: sending %s in parallel ranges failed (%v)", w.dfs.Label(), w.j.src, oneLine(err)))
	}
}

const (
	// rangeMinFile is the smallest upload split into ranges.
	rangeMinFile = 32 << 20
	// rangeMinPart is the smallest range.
	rangeMinPart = 8 << 20
)

// rangeParts says into how many ranges a fresh upload of size bytes to rw
// is split; below 2 it is not split. tryRanges has checked that the upload
// may be split at all.
func rangeParts(rw RangeWriter, size int64) int {
	if size < rangeMinFile {
		return 1
	}
	return int(min(int64(rw.RangeParts()), size/rangeMinPart))
}

// rangedUpload writes the size bytes of src into the fresh temporary file
// as parts byte ranges at once: the first through dst (the temporary
// file's own handle, at its start), the others through writers rw opens on
// its extra channels.
//
// A file written this way can have holes until every range is done, so its
// resume record is removed (once every writer is open): an interrupted
// ranged upload starts over instead of resuming from a size that would not
// mean "everything before this arrived". done is false when it fell back
// to the caller's single stream before writing anything.
func (w *safeWrite) rangedUpload(rw RangeWriter, dst concurrentReaderFrom, src *os.File, size int64, parts int) (n int64, done bool, err error) {
	chunk := size / int64(parts)
	// Open every extra writer before anything changes, so a server that
	// refuses more channels costs nothing: the file goes as one stream.
	writers := make([]concurrentReaderFrom, parts)
	closers := make([]io.Closer, 0, parts)
	closeAll := func() {
		for _, c := range closers {
			c.Close()
		}
	}
	writers[0] = dst
	for i := 1; i < parts; i++ {
		wc, err := rw.OpenRangeWriter(w.ctx, w.tmp, i, int64(i)*chunk)
		if err != nil {
			closeAll()
			w.e.notice(w.j.b, w.dst, fmt.Sprintf("sending %s as one stream: the server refused more channels (%v)", w.j.src, err))
			return 0, false, nil
		}
		closers = append(closers, wc)
		rf, ok := wc.(concurrentReaderFrom)
		if !ok {
			closeAll()
			return 0, false, nil
		}
		writers[i] = rf
	}
	if w.metaMade {
		if err := w.dfs.Remove(w.ctx, w.meta); err != nil && !errors.Is(err, fs.ErrNotExist) {
			closeAll()
			return 0, false, nil
		}
		w.metaMade = false
	}
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	p := &progress{ctx: ctx, e: w.e, j: w.j}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int64
		first error
	)
	for i := 0; i < parts; i++ {
		start := int64(i) * chunk
		length := chunk
		if i == parts-1 {
			length = size - start
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := &countingReader{r: io.NewSectionReader(src, start, length), p: p}
			n, err := writers[i].ReadFromWithConcurrency(body, 0)
			if i > 0 {
				if cerr := closers[i-1].Close(); err == nil {
					err = cerr
				}
			}
			if err == nil && n != length {
				err = fmt.Errorf("range at %d: wrote %d of %d bytes: %w", start, n, length, ErrShortWrite)
			}
			mu.Lock()
			total += n
			if err != nil && first == nil {
				first = err
				cancel()
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if first != nil {
		w.rangesFailed(first)
		return total, true, explain(w.dfs, "write", w.tmp, first)
	}
	return total, true, nil
}
