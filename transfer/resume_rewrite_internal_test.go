package transfer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// failingOpener is a file system whose OpenFile fails: a link that
// dropped while a ranged copy noted its progress.
type failingOpener struct{ *rootFS }

func (failingOpener) OpenFile(context.Context, string, int) (io.ReadWriteCloser, error) {
	return nil, errors.New("connection lost")
}

// TestRangeRecordRewrittenInPlace: a ranged copy's resume record is
// rewritten over itself, never removed and made again, so a failure while
// noting progress leaves the old record; a shorter record is padded and
// still reads back exactly.
func TestRangeRecordRewrittenInPlace(t *testing.T) {
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	src := filepath.Join(dir, "src")
	if err := os.WriteFile(src, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(src, 400000000); err != nil { // sparse
		t.Fatal(err)
	}
	fi, err := os.Stat(src)
	if err != nil {
		t.Fatal(err)
	}
	rfs := &rootFS{label: "local", dir: dir, root: root}
	meta := filepath.Join(dir, ".f.ferry-part.meta")
	w := &safeWrite{j: &job{info: fi}, dfs: rfs, meta: meta}
	read := func() partMeta {
		t.Helper()
		b, err := os.ReadFile(meta)
		if err != nil {
			t.Fatal(err)
		}
		m, err := parsePartMeta(b)
		if err != nil {
			t.Fatalf("record %q: %v", b, err)
		}
		return m
	}
	ctx := context.Background()
	long := []rangeMark{{0, 123456789}, {200000000, 300000000}}
	if err := w.writeMeta(ctx, long); err != nil {
		t.Fatal(err)
	}
	made, err := os.Stat(meta)
	if err != nil {
		t.Fatal(err)
	}
	// Shorter numbers: the record is padded and reads back as written.
	short := []rangeMark{{0, 5}, {200000000, 200000007}}
	if err := w.writeMeta(ctx, short); err != nil {
		t.Fatal(err)
	}
	if m := read(); len(m.ranges) != 2 || m.ranges[0] != short[0] || m.ranges[1] != short[1] || m.size != 400000000 {
		t.Fatalf("after the shorter record: %+v", m)
	}
	if now, err := os.Stat(meta); err != nil || !os.SameFile(made, now) {
		t.Fatalf("the record was made again, not rewritten: %v", err)
	}
	// A rewrite that fails keeps the record it would have replaced.
	w.dfs = failingOpener{rfs}
	if err := w.writeMeta(ctx, long); err == nil {
		t.Fatal("a failed rewrite reported success")
	}
	if m := read(); m.ranges[0] != short[0] || m.ranges[1] != short[1] {
		t.Fatalf("after a failed rewrite: %+v", m)
	}
	if !w.metaMade {
		t.Error("a failed rewrite forgot the record")
	}
}

// TestTornRangeRecordIsNeverTrusted: a rewrite of a resume record that
// stopped after any number of bytes leaves a record that either fails to
// parse or says exactly what the old or the new one said, never a mix
// (which could claim bytes that were never written).
func TestTornRangeRecordIsNeverTrusted(t *testing.T) {
	old := partMeta{size: 400000000, mtime: 1700000000000000000, ranges: []rangeMark{{0, 199999999}, {300000000, 399999999}}}
	for _, next := range []partMeta{
		{size: old.size, mtime: old.mtime, ranges: []rangeMark{{0, 200000000}, {300000000, 400000000}}},
		{size: old.size, mtime: old.mtime, ranges: []rangeMark{{0, 5}, {300000000, 300000007}}},
	} {
		ob, nb := old.encode(), next.encode()
		if pad := len(ob) - len(nb); pad > 0 { // as rewriteMeta pads
			nb = append(append(nb, bytes.Repeat([]byte{' '}, pad-1)...), '\n')
		}
		for k := 1; k < len(nb); k++ {
			torn := append(bytes.Clone(nb[:k]), ob[min(k, len(ob)):]...)
			m, err := parsePartMeta(torn)
			if err != nil {
				continue
			}
			if !slices.Equal(m.ranges, old.ranges) && !slices.Equal(m.ranges, next.ranges) {
				t.Fatalf("torn after %d bytes, %q reads as %+v", k, torn, m.ranges)
			}
		}
		if m, err := parsePartMeta(nb); err != nil || !slices.Equal(m.ranges, next.ranges) {
			t.Fatalf("the whole record %q: %+v, %v", nb, m, err)
		}
	}
}
