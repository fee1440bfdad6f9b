package transfer

import (
	"errors"
	"fmt"
	"io/fs"
	"time"
)

// Every request to a server costs a round trip, and a batch of small
// files is made of little else. Where the file system offers it
// (SmallReader, SmallCreator), a small file read from a server costs the
// open and one round trip for its reads and close, and one written to a
// server the create, one round trip for its mode, data, times, flush and
// close, and the rename.

// readSmallFast reads the small source whole through SmallReader.
// handled is false when its file system cannot (the caller opens it the
// ordinary way); data is nil when the source is not its listed size any
// more.
func (w *safeWrite) readSmallFast(size int64) (data []byte, handled bool, err error) {
	sr, ok := w.sfs.(SmallReader)
	if !ok {
		return nil, false, nil
	}
	data, err = sr.ReadSmall(w.ctx, w.j.src, size)
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		return nil, false, nil
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Op == "open" {
			return nil, true, fmt.Errorf("open source: %w", err)
		}
		return nil, true, explain(w.sfs, "read", w.j.src, err)
	}
	return data, true, nil
}

// writeSmall finishes a temporary file made by SmallCreator with data:
// its mode, the data, its time (unless times are not preserved), a flush
// when the durability policy says so and the file system can, and the
// close, in one round trip. The server acknowledges each write, so the
// size needs no check.
func (w *safeWrite) writeSmall(sw SmallWriter, data []byte, p plan) error {
	if err := w.e.gate.wait(w.ctx); err != nil {
		if sw, ok := sw.(interface{ Close() error }); ok {
			sw.Close()
		}
		return err
	}
	var mt time.Time
	if !w.j.b.req.NoPreserve {
		mt = w.j.info.ModTime()
	}
	sync := w.wantSync(p.dstInfo != nil) && canSync(w.dfs)
	// A flush of a slow disk moves no bytes and is not a stall.
	w.setFinishing(sync)
	err := sw.WriteAndClose(w.ctx, data, mt, sync)
	w.setFinishing(false)
	if err != nil {
		return explain(w.dfs, "write", w.tmp, err)
	}
	w.e.progress(w.j, len(data))
	w.e.limit.wait(w.ctx, w.j, len(data))
	return nil
}
