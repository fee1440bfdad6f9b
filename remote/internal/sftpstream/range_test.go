package sftpstream

import (
	"bytes"
	"testing"
)

// CopyRange stops at its end however the server answers, asks for no
// byte past it, and stops early at the end of the file.
func TestStreamCopyRangeStopsAtEnd(t *testing.T) {
	data := randData(100_003)
	for _, f := range []fakeSFTP{{}, {maxData: 1000}, {reorder: true, maxData: 3000}} {
		var furthest int64
		f.data = data
		f.hostile = func(id uint32, off int64, want uint32) []byte {
			furthest = max(furthest, off+int64(want))
			return nil
		}
		s := startFake(t, &f, 4096, 8)
		for _, r := range [][2]int64{{0, 10_000}, {5000, 5001}, {4096, 8192}, {99_000, 200_000}, {7, 7}} {
			furthest = 0
			h, err := s.Open("/file")
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			n, rerr, werr := s.CopyRange(&buf, h, r[0], r[1])
			if rerr != nil || werr != nil {
				t.Fatalf("%v: %v, %v", r, rerr, werr)
			}
			if err := s.Close(h); err != nil {
				t.Fatal(err)
			}
			want := data[r[0]:min(r[1], int64(len(data)))]
			if n != int64(len(want)) || !bytes.Equal(buf.Bytes(), want) {
				t.Fatalf("%v: got %d bytes (%d reported), want %d", r, buf.Len(), n, len(want))
			}
			if r[1] < int64(len(data)) && furthest > r[1] {
				t.Fatalf("%v: asked for bytes up to %d, past the range's end", r, furthest)
			}
		}
	}
}
