package transfer

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
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

// RangePreparer is implemented by RangeWriters that can open the
// channels of a large file's ranges ahead of time (remote.FS): the engine
// calls PrepareRanges(n) as it starts an upload that may be split into n
// ranges, so that the channels open while the temporary file is made.
// It must not block; the function it returns waits until the channels
// have opened or been refused, and is called before the ranges are
// decided, so that RangeParts then counts what the server allowed.
type RangePreparer interface {
	PrepareRanges(n int) (wait func())
}

// RangeDisabler is implemented by file systems whose byte ranges can be
// turned off for the rest of the session (remote.FS): DisableRanges
// returns true the first time. After a ranged upload failed for a reason
// that is not a cancel, a dropped connection or a full disk, the engine
// turns ranges off, so that a server that mishandles several channels
// writing one file gets every later large file as one stream.
type RangeDisabler interface {
	DisableRanges(reason string) bool
}

// rangesFailed turns ranges off on fsys (w's destination after a ranged
// upload, its source after a ranged download) when they failed or stalled
// for a reason other than a cancel, and says so once. Servers that
// mishandle several channels on one file are better served by one stream;
// the job is tried again that way. op and path name the failing call.
func (w *safeWrite) rangesFailed(fsys FS, op, path string, err error) {
	w.e.mu.Lock()
	cancelled := w.j.cancelReq || w.e.closed
	stalled := w.j.stalled
	gens := w.j.gens
	w.e.mu.Unlock()
	// A cancel, a dropped connection or a full disk says nothing about
	// the server's ranges: the retry (if any) resumes every range.
	if cancelled || (!stalled && (isNoSpace(err) || connDropped(gens, err))) {
		return
	}
	if stalled {
		err = ErrStalled
	}
	err = explain(fsys, op, path, err)
	w.j.rangesFailed = true
	d, ok := fsys.(RangeDisabler)
	if ok && d.DisableRanges(oneLine(err)) {
		w.e.notice(w.j.b, w.dst, fmt.Sprintf("%s: large files go as one stream from now on: copying %s in parallel ranges failed (%v)", fsys.Label(), w.j.src, oneLine(err)))
	}
}

// The defaults of the sizes (Options.sizes) that decide on ranges.
const (
	// rangeMinFile is the smallest upload or download split into ranges.
	rangeMinFile = 32 << 20
	// rangeMinPart is the smallest range.
	rangeMinPart = 8 << 20
)

// rangeParts says into how many ranges a fresh copy of size bytes is
// split when at most most ranges may run at once (RangeParts, StreamParts);
// below 2 it is not split. The caller has checked that the copy may be
// split at all.
func (s sizes) rangeParts(most int, size int64) int {
	if size < s.rangeMinFile {
		return 1
	}
	if s.maxParts > 0 {
		most = min(most, s.maxParts)
	}
	return int(min(int64(most), size/s.rangeMinPart))
}

// rangedUpload writes src into the temporary file as byte ranges at once,
// one per mark, each from its mark's done offset to the next mark's start
// (the last to size): the first through dst (the temporary file's own
// handle, already at marks[0].done), the others through writers rw opens
// on its extra channels.
//
// The resume record lists every range and how far it has got, rewritten
// every few seconds while the ranges run and once more when they fail, so
// that an interrupted ranged upload resumes each range where it was.
// done is false when it fell back to the caller's single stream before
// writing anything. On success n is how far past w.off the file is now
// complete.
func (w *safeWrite) rangedUpload(rw RangeWriter, dst ConcurrentReaderFrom, src LocalFile, size int64, marks []rangeMark) (n int64, done bool, err error) {
	parts := len(marks)
	end := func(i int) int64 {
		if i == parts-1 {
			return size
		}
		return marks[i+1].start
	}
	// Open every extra writer before anything changes, so a server that
	// refuses more channels costs nothing: the file goes as one stream.
	writers := make([]ConcurrentReaderFrom, parts)
	closers := make([]io.Closer, parts)
	closeAll := func() {
		for _, c := range closers {
			if c != nil {
				c.Close()
			}
		}
	}
	writers[0] = dst
	// A record that does not list the ranges would make a resume
	// continue after holes: without one, no ranges. It is written while
	// the writers open.
	rec := newRangeRecord(marks)
	fresh := w.metaPending
	w.metaPending = false
	var recErr error
	var recording sync.WaitGroup
	if w.metaMade || fresh {
		recording.Go(func() { recErr = w.writeMeta(w.ctx, rec.marks()) })
	}
	// fallBack gives the file to the caller's single stream; a fresh
	// upload's record then lists no ranges.
	fallBack := func() (int64, bool, error) {
		recording.Wait()
		closeAll()
		if fresh && w.metaMade {
			w.writeFirstMeta()
		} else if fresh {
			w.metaPending = true // written by copyData's single stream
		}
		w.singleStream()
		return 0, false, nil
	}
	// They open at once: each may first have to open its channel.
	errs := make([]error, parts)
	var opening sync.WaitGroup
	for i := 1; i < parts; i++ {
		opening.Go(func() {
			wc, err := rw.OpenRangeWriter(w.ctx, w.tmp, i, marks[i].done)
			if err != nil {
				errs[i] = err
				return
			}
			closers[i] = wc
			if rf, ok := wc.(ConcurrentReaderFrom); ok {
				writers[i] = rf
			}
		})
	}
	opening.Wait()
	for i := 1; i < parts; i++ {
		if errs[i] != nil {
			w.e.notice(w.j.b, w.dst, fmt.Sprintf("sending %s as one stream: the server refused more channels (%v)", w.j.src, errs[i]))
			return fallBack()
		}
		if writers[i] == nil {
			return fallBack()
		}
	}
	recording.Wait()
	switch {
	case recErr != nil && fresh:
		// No record at all: the ranges run, and an interruption
		// restarts the file, as for any copy whose record failed.
		w.e.notice(w.j.b, w.dst, fmt.Sprintf("cannot record resume data (%v); an interruption will restart this file", recErr))
	case recErr != nil:
		// A resumed copy's record must follow its ranges.
		w.e.notice(w.j.b, w.dst, fmt.Sprintf("sending %s as one stream: cannot record the progress of parallel ranges (%v)", w.j.src, recErr))
		return fallBack()
	}
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	stopRec := w.keepRecord(ctx, rec)
	p := &progress{ctx: ctx, e: w.e, j: w.j}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for i := 0; i < parts; i++ {
		from, length := marks[i].done, end(i)-marks[i].done
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := &rangeReader{r: io.NewSectionReader(src, from, length), p: p, pos: &rec.pos[i]}
			n, err := writers[i].ReadFromWithConcurrency(body, 0)
			if i > 0 {
				if cerr := closers[i].Close(); err == nil {
					err = cerr
				}
			}
			if err == nil && n != length {
				err = fmt.Errorf("range at %d: wrote %d of %d bytes: %w", from, n, length, ErrShortWrite)
			}
			if err != nil {
				mu.Lock()
				if first == nil {
					first = err
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	stopRec(first != nil)
	if first != nil {
		w.rangesFailed(w.dfs, "write", w.tmp, first)
		return 0, true, explain(w.dfs, "write", w.tmp, first)
	}
	return size - w.off, true, nil
}

// singleStream gives up the ranges of a resumed ranged partial copy: the
// file continues as one stream from the first range's point, which
// rewrites everything after it. The record keeps its ranges: every byte
// they vouch for is still the source's.
func (w *safeWrite) singleStream() {
	if w.ranges == nil {
		return
	}
	had := int64(0)
	for _, r := range w.ranges {
		had += r.done - r.start
	}
	w.ranges = nil
	// Only the first range's part now counts as resumed.
	w.e.resumed(w.j, w.off-had)
	w.e.mu.Lock()
	w.j.resumed = w.off
	w.e.mu.Unlock()
}

// rangeRecord tracks how far each range of a ranged upload has got.
type rangeRecord struct {
	start []int64
	pos   []atomic.Int64 // everything before pos was handed to the server
}

func newRangeRecord(marks []rangeMark) *rangeRecord {
	r := &rangeRecord{start: make([]int64, len(marks)), pos: make([]atomic.Int64, len(marks))}
	for i, m := range marks {
		r.start[i] = m.start
		r.pos[i].Store(m.done)
	}
	return r
}

// marks returns the ranges as they are now.
func (r *rangeRecord) marks() []rangeMark {
	m := make([]rangeMark, len(r.start))
	for i := range m {
		m[i] = rangeMark{start: r.start[i], done: r.pos[i].Load()}
	}
	return m
}

// rangeRecordEvery is how often a ranged upload's resume record is
// rewritten: three requests to the server, next to tens of megabytes.
const rangeRecordEvery = 2 * time.Second

// keepRecord rewrites the resume record every rangeRecordEvery until the
// returned function is called; that function, told the upload failed,
// writes it once more (the connection may be gone: it tries for a few
// seconds at most).
func (w *safeWrite) keepRecord(ctx context.Context, rec *rangeRecord) func(failed bool) {
	if !w.metaMade {
		return func(bool) {}
	}
	var mu sync.Mutex
	write := func(ctx context.Context) {
		mu.Lock()
		defer mu.Unlock()
		if w.metaMade {
			_ = w.writeMeta(ctx, rec.marks())
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(rangeRecordEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				write(ctx)
			}
		}
	}()
	return func(failed bool) {
		close(stop)
		wg.Wait()
		if failed {
			cctx, cancel := context.WithTimeout(context.WithoutCancel(w.ctx), 3*time.Second)
			defer cancel()
			write(cctx)
		}
	}
}

// rangeReader counts what is read from the local side of one range.
type rangeReader struct {
	r   io.Reader
	p   *progress
	pos *atomic.Int64
}

func (c *rangeReader) Read(b []byte) (int, error) {
	if err := c.p.check(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(b)
	c.p.add(n)
	c.pos.Add(int64(n))
	return n, err
}
