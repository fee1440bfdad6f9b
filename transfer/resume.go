package transfer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"
)

// The resume record is a few lines of text beside the temporary file,
// ".NAME.ferry-part.meta", naming the source's size and modification time
// when the copy started:
//
//	ferry-part 1
//	size 1048576
//	mtime 1700000000000000000
//
// Only large files get one (three more round trips are nothing next to
// their data); a small file's partial copy is simply restarted.
const metaMagic = "ferry-part 1"

// partMeta is what a resume record says about the source, and, for a
// file sent as parallel byte ranges, how far each range had got.
type partMeta struct {
	size   int64
	mtime  int64 // Unix nanoseconds, as the source's FS reported it
	ranges []rangeMark
}

// rangeMark is one byte range of a ranged upload: it starts at start, and
// everything before done was handed to the server (requests still in
// flight may not have arrived: a resume rewinds).
type rangeMark struct{ start, done int64 }

// encode returns the record's text. A ranged copy adds a line per range,
// and the last line is the CRC-32 of all before it, so that a record torn
// by a rewrite that stopped half-way is never read as a good one:
//
//	range 0 67108864
//	range 209715200 260046848
//	sum 1c291ca3
func (m partMeta) encode() []byte {
	b := fmt.Appendf(nil, "%s\nsize %d\nmtime %d\n", metaMagic, m.size, m.mtime)
	for _, r := range m.ranges {
		b = fmt.Appendf(b, "range %d %d\n", r.start, r.done)
	}
	return fmt.Appendf(b, "sum %08x\n", crc32.ChecksumIEEE(b))
}

// parsePartMeta reads a record; anything unexpected is an error. A record
// of an older ferry has no sum line; one with a sum line must match it,
// and only the blank padding of a rewrite may follow it.
func parsePartMeta(b []byte) (partMeta, error) {
	text := string(b)
	if i := strings.Index(text, "\nsum "); i >= 0 {
		body := text[:i+1]
		line, rest, _ := strings.Cut(text[i+1:], "\n")
		if line != fmt.Sprintf("sum %08x", crc32.ChecksumIEEE([]byte(body))) || strings.TrimSpace(rest) != "" {
			return partMeta{}, errors.New("torn resume record: its sum does not match")
		}
		text = body
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 || lines[0] != metaMagic {
		return partMeta{}, errors.New("not a ferry resume record")
	}
	var m partMeta
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, " ")
		if !ok {
			return partMeta{}, fmt.Errorf("bad resume record line %q", l)
		}
		if k == "range" {
			a, b, ok := strings.Cut(v, " ")
			start, err1 := strconv.ParseInt(a, 10, 64)
			done, err2 := strconv.ParseInt(b, 10, 64)
			if !ok || err1 != nil || err2 != nil || done < start || !follows(m.ranges, start) {
				return partMeta{}, fmt.Errorf("bad resume record line %q", l)
			}
			m.ranges = append(m.ranges, rangeMark{start, done})
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return partMeta{}, fmt.Errorf("bad resume record line %q", l)
		}
		switch k {
		case "size":
			m.size = n
		case "mtime":
			m.mtime = n
		default:
			return partMeta{}, fmt.Errorf("bad resume record line %q", l)
		}
	}
	if n := len(m.ranges); n > 0 && (m.ranges[0].start != 0 || m.ranges[n-1].done > m.size) {
		return partMeta{}, errors.New("bad ranges in resume record")
	}
	return m, nil
}

// follows reports whether a range starting at start may come after
// ranges: it starts after the last one, and where that one got to or
// later. A range that was finished got to the next one's start.
func follows(ranges []rangeMark, start int64) bool {
	if len(ranges) == 0 {
		return true
	}
	last := ranges[len(ranges)-1]
	return start > last.start && start >= last.done
}

// writeFirstMeta writes the record of a large copy without ranges, and
// says so when it cannot: the copy goes on without one.
func (w *safeWrite) writeFirstMeta() {
	if err := w.writeMeta(w.ctx, nil); err != nil {
		w.e.notice(w.j.b, w.dst, fmt.Sprintf("cannot record resume data (%v); an interruption will restart this file", err))
	}
}

// writePendingMeta writes the record that waited for ranges
// (metaPending) without them: the upload goes as one stream after all.
func (w *safeWrite) writePendingMeta() {
	if w.metaPending {
		w.metaPending = false
		w.writeFirstMeta()
	}
}

// writeMeta records the source's size and time beside the temporary file,
// and the progress of each byte range when ranges is not empty.
func (w *safeWrite) writeMeta(ctx context.Context, ranges []rangeMark) error {
	m := partMeta{size: w.j.info.Size(), mtime: w.j.info.ModTime().UnixNano(), ranges: ranges}
	if w.metaMade && w.metaLen > 0 {
		if fo, ok := w.dfs.(FileOpener); ok {
			return w.rewriteMeta(ctx, fo, m.encode())
		}
	}
	f, err := w.createMeta(ctx)
	if err != nil {
		// A stale record from an older attempt: replace it.
		if rerr := w.dfs.Remove(ctx, w.meta); rerr != nil {
			return err
		}
		if f, err = w.createMeta(ctx); err != nil {
			return err
		}
	}
	if sw, ok := f.(SmallWriter); ok {
		err = sw.WriteAndClose(ctx, m.encode(), time.Time{}, false)
	} else {
		_, err = f.Write(m.encode())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		_ = w.dfs.Remove(ctx, w.meta)
		w.metaMade = false
		return err
	}
	w.metaMade, w.metaLen = true, len(m.encode())
	return nil
}

// createMeta creates the record's file, through CreateSmall where the
// destination has it: its mode goes in the OPEN, and its data, mode and
// close go out together (2 round trips, not 3: at 50 ms, 0.05 s before a
// large upload's ranges begin).
func (w *safeWrite) createMeta(ctx context.Context) (io.WriteCloser, error) {
	if sc, ok := w.dfs.(SmallCreator); ok {
		f, err := sc.CreateSmall(ctx, w.meta, 0o600)
		if !errors.Is(err, errors.ErrUnsupported) {
			return f, err
		}
	}
	return w.dfs.CreateExcl(ctx, w.meta, 0o600)
}

// rewriteMeta writes the record b over the one this write made, in one
// write from its start: the record is the old one or the new one at every
// moment, so a link dropped while a ranged copy notes its progress never
// leaves the partial without a record (which would restart it). A record
// shorter than the old one is padded with a blank line after its sum line.
// A write that stops half-way (a full disk) leaves a torn record, which
// its sum line makes unreadable: the copy then starts over.
func (w *safeWrite) rewriteMeta(ctx context.Context, fo FileOpener, b []byte) error {
	if pad := w.metaLen - len(b); pad > 0 {
		b = append(b, bytes.Repeat([]byte{' '}, pad-1)...)
		b = append(b, '\n')
	}
	f, err := fo.OpenFile(ctx, w.meta, os.O_WRONLY)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	// Had the write reached the server, the record is now this long:
	// later records are padded to cover it.
	w.metaLen = len(b)
	return err
}

// partialOffset decides whether the partial temporary file, whose Lstat
// is fi, can be continued and from where. It can when its resume record
// names the source's current size and time, and the 64 KiB before the
// offset match the source. The offset lies the engine's resume rewind
// (resumeRewind unless tests say otherwise) before the partial file's
// end, because writes with many requests in flight can leave the last
// ones missing.
//
// err is set when the check itself could not be made (the source or the
// partial could not be read): the partial may well be good, so the caller
// must keep it rather than start over.
func (w *safeWrite) partialOffset(fi fs.FileInfo) (off int64, ranges []rangeMark, ok bool, err error) {
	b, err := readFileLimit(w.ctx, w.dfs, w.meta, 64<<10)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil, false, nil
	}
	if err != nil {
		return 0, nil, false, fmt.Errorf("read resume record: %w", err)
	}
	m, err := parsePartMeta(b)
	if err != nil || m.size != w.j.info.Size() || m.mtime != w.j.info.ModTime().UnixNano() {
		return 0, nil, false, nil
	}
	if !fi.Mode().IsRegular() || fi.Size() > m.size {
		return 0, nil, false, nil
	}
	if len(m.ranges) > 0 {
		return w.rangesOffsets(m.ranges)
	}
	off, ok, err = w.checkTail(fi.Size(), 0)
	return off, nil, ok, err
}

// checkTail finds where a partial copy that reaches end (from start) can
// continue: the engine's resume rewind before end, when the tailCheck
// bytes before that match the source. ok is false when it cannot be
// continued.
func (w *safeWrite) checkTail(end, start int64) (off int64, ok bool, err error) {
	off = end - w.e.opts.sizes.resumeRewind
	if off-start < tailCheck {
		return 0, false, nil
	}
	want, err := readRange(w.ctx, w.sfs, w.j.src, off-tailCheck, tailCheck)
	if err != nil {
		return 0, false, fmt.Errorf("read source to check the partial copy: %w", err)
	}
	got, err := readRange(w.ctx, w.dfs, w.tmp, off-tailCheck, tailCheck)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		// Shorter than its record says: what was handed to the server
		// never arrived (a ranged upload whose server died).
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read partial copy: %w", err)
	}
	return off, bytes.Equal(want, got), nil
}

// rangesOffsets checks each range of a ranged partial copy: a range whose
// tail matches the source continues where it got to, any other starts
// over. off is where the first range continues.
func (w *safeWrite) rangesOffsets(marks []rangeMark) (off int64, ranges []rangeMark, ok bool, err error) {
	ranges = make([]rangeMark, len(marks))
	kept := false
	for i, r := range marks {
		ranges[i] = rangeMark{start: r.start, done: r.start}
		at, good, err := w.checkTail(r.done, r.start)
		if err != nil {
			return 0, nil, false, err
		}
		if good {
			ranges[i].done = at
			kept = true
		}
	}
	return ranges[0].done, ranges, kept, nil
}

// readFileLimit reads at most limit bytes of name.
func readFileLimit(ctx context.Context, fsys FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}

// readRange reads n bytes of name at off.
func readRange(ctx context.Context, fsys FS, name string, off, n int64) ([]byte, error) {
	f, err := fsys.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	if ra, ok := f.(io.ReaderAt); ok {
		if _, err := ra.ReadAt(buf, off); err != nil {
			return nil, err
		}
		return buf, nil
	}
	if err := seekTo(f, off); err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(f, buf); err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return buf, nil
}
