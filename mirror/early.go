package mirror

import (
	"io/fs"

	"github.com/ferry-tui/ferry/transfer"
)

// dirWait follows the planning of one source directory for an early
// request (Options.Early): whether its entries are compared yet, and
// whether everything below it is.
type dirWait struct {
	listed  chan struct{} // closed once its entries are compared
	done    chan struct{} // closed once everything below it is
	pending int           // its own listing and its subdirectories not done
	parent  *dirWait
}

// early reports whether the walk hands out the copies early: only when
// every decision is final as soon as a directory is compared (no
// Checksum, whose hashes come at the end) and nothing must be removed
// before the copies (no Delete).
func (w *walker) early() bool {
	o := w.p.Options
	return o.Early != nil && !o.Delete && !o.Checksum
}

// walkDir lists directory rel on the sides asked for, in a goroutine of
// its own when a slot is free. A source directory is followed for the
// early request until it and everything below it are compared.
func (w *walker) walkDir(rel string, onSrc, onDst bool) {
	if onSrc && w.waits != nil {
		w.mu.Lock()
		d := &dirWait{listed: make(chan struct{}), done: make(chan struct{}), pending: 1, parent: w.waits[parentOf(rel)]}
		if rel == "" {
			d.parent = nil
		}
		if d.parent != nil {
			d.parent.pending++
		}
		w.waits[rel] = d
		w.mu.Unlock()
		w.spawn(func() {
			defer w.dirDone(d)
			w.list(rel, onSrc, onDst)
		})
		return
	}
	w.spawn(func() { w.list(rel, onSrc, onDst) })
}

// dirDone marks d's entries compared, and d done when nothing below it
// is pending, and so on up.
func (w *walker) dirDone(d *dirWait) {
	w.mu.Lock()
	defer w.mu.Unlock()
	close(d.listed)
	for ; d != nil; d = d.parent {
		d.pending--
		if d.pending > 0 {
			return
		}
		close(d.done)
	}
}

// wait waits for ch or the end of the walk; it reports whether ch came.
func (w *walker) wait(ch <-chan struct{}) bool {
	select {
	case <-ch: // first: once the plan is made its context has ended
		return true
	default:
	}
	select {
	case <-ch:
		return true
	case <-w.ctx.Done():
		return false
	}
}

// earlyRequest is the request Options.Early gets: the source root into
// the destination root, as Request makes it, but Select waits until the
// walk compared an entry's directory before it answers, so the engine
// copies behind the walk. A directory still being compared below is
// walked (its entries are then answered one by one); one compared whole
// is walked only if something in it is copied.
func (w *walker) earlyRequest() transfer.Request {
	p := w.p
	relOf := p.srcRel()
	sel := func(src string, _ fs.FileInfo) bool {
		rel, ok := relOf(src)
		if !ok {
			return false
		}
		w.mu.Lock()
		parent := w.waits[parentOf(rel)]
		w.mu.Unlock()
		if parent == nil || !w.wait(parent.listed) {
			return false
		}
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.refused[rel] {
			return false
		}
		if d := w.waits[rel]; d != nil {
			select {
			case <-d.done:
			default:
				// Still being compared: walk it. The engine lists a
				// directory's entries before it walks any subdirectory,
				// so waiting here would hold up its siblings; its
				// entries wait for their own answers.
				return true
			}
		}
		return p.selected[rel]
	}
	return transfer.Request{
		Src:         p.Src,
		Dst:         p.Dst,
		Items:       []transfer.Item{{Src: p.SrcDir, Dst: p.DstDir}},
		Policy:      transfer.Resume,
		FollowLinks: p.Options.FollowLinks,
		Select:      sel,
	}
}
