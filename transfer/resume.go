package transfer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
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

// partMeta is what a resume record says about the source.
type partMeta struct {
	size  int64
	mtime int64 // Unix nanoseconds, as the source's FS reported it
}

// encode returns the record's text.
func (m partMeta) encode() []byte {
	return fmt.Appendf(nil, "%s\nsize %d\nmtime %d\n", metaMagic, m.size, m.mtime)
}

// parsePartMeta reads a record; anything unexpected is an error.
func parsePartMeta(b []byte) (partMeta, error) {
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 3 || lines[0] != metaMagic {
		return partMeta{}, errors.New("not a ferry resume record")
	}
	var m partMeta
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, " ")
		n, err := strconv.ParseInt(v, 10, 64)
		if !ok || err != nil {
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
	return m, nil
}

// writeMeta records the source's size and time beside the temporary file.
func (w *safeWrite) writeMeta() error {
	m := partMeta{size: w.j.info.Size(), mtime: w.j.info.ModTime().UnixNano()}
	f, err := w.dfs.CreateExcl(w.ctx, w.meta, 0o600)
	if err != nil {
		// A stale record from an older attempt: replace it.
		if rerr := w.dfs.Remove(w.ctx, w.meta); rerr != nil {
			return err
		}
		if f, err = w.dfs.CreateExcl(w.ctx, w.meta, 0o600); err != nil {
			return err
		}
	}
	_, err = f.Write(m.encode())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = w.dfs.Remove(w.ctx, w.meta)
		return err
	}
	w.metaMade = true
	return nil
}

// partialOffset decides whether the partial temporary file, whose Lstat
// is fi, can be continued and from where. It can when its resume record
// names the source's current size and time, and the 64 KiB before the
// offset match the source. The offset lies resumeRewind before the partial
// file's end, because writes with many requests in flight can leave the
// last ones missing.
//
// err is set when the check itself could not be made (the source or the
// partial could not be read): the partial may well be good, so the caller
// must keep it rather than start over.
func (w *safeWrite) partialOffset(fi fs.FileInfo) (off int64, ok bool, err error) {
	b, err := readFileLimit(w.ctx, w.dfs, w.meta, 4096)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read resume record: %w", err)
	}
	m, err := parsePartMeta(b)
	if err != nil || m.size != w.j.info.Size() || m.mtime != w.j.info.ModTime().UnixNano() {
		return 0, false, nil
	}
	if !fi.Mode().IsRegular() || fi.Size() > m.size {
		return 0, false, nil
	}
	off = fi.Size() - resumeRewind
	if off < tailCheck {
		return 0, false, nil
	}
	want, err := readRange(w.ctx, w.sfs, w.j.src, off-tailCheck, tailCheck)
	if err != nil {
		return 0, false, fmt.Errorf("read source to check the partial copy: %w", err)
	}
	got, err := readRange(w.ctx, w.dfs, w.tmp, off-tailCheck, tailCheck)
	if err != nil {
		return 0, false, fmt.Errorf("read partial copy: %w", err)
	}
	return off, bytes.Equal(want, got), nil
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
