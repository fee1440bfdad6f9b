package mirror

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// walker walks both trees for MakePlan.
type walker struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	p      *Plan
	sem    chan struct{}
	wg     sync.WaitGroup

	entries atomic.Int64
	hashed  atomic.Int64
	toHash  atomic.Int64

	served   atomic.Int64 // files a server hashed
	srcNoSum atomic.Bool  // Options.SrcSum is unsupported
	dstNoSum atomic.Bool  // Options.DstSum is unsupported

	mu      sync.Mutex // guards p's slices and map, pending and kept
	pending []hashJob  // same-size files to compare by content
	kept    []string   // excluded destination entries below directories to delete
	// followed maps the source links -L follows to directories to their
	// targets, resolved by text, for loops through several links.
	followed map[string]string
	// waits follow the source directories for the early request
	// (Options.Early), refused the replacements it must leave out.
	waits   map[string]*dirWait
	refused map[string]bool
}

// report calls Options.Progress every 100 ms until the returned stop is
// called, which reports once more.
func (w *walker) report() (stop func()) {
	f := w.p.Options.Progress
	if f == nil {
		return func() {}
	}
	snap := func() Progress {
		return Progress{Entries: w.entries.Load(), Hashed: w.hashed.Load(), ToHash: w.toHash.Load()}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				f(snap())
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		f(snap())
	}
}

// fail ends the walk with err.
func (w *walker) fail(err error) { w.cancel(err) }

// add records an action; copies mark their parents for the walk.
func (w *walker) add(a Action) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.p.Actions = append(w.p.Actions, a)
	if a.Kind == Delete || a.ModeOnly {
		return
	}
	if a.Replace && !w.p.Options.Delete && w.refused != nil {
		w.refused[a.Path] = true
	}
	for r := a.Path; r != ""; r = parentOf(r) {
		if w.p.selected[r] {
			break
		}
		w.p.selected[r] = true
	}
}

// note records an entry left alone.
func (w *walker) note(rel string, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.p.Notes = append(w.p.Notes, Note{Path: rel, Err: err})
}

// parentOf returns the parent of a relative path ("" for the root).
func parentOf(rel string) string {
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		return rel[:i]
	}
	return ""
}

// child joins a relative path and a name.
func child(rel, name string) string {
	if rel == "" {
		return name
	}
	return rel + "/" + name
}

// spawn runs f in a goroutine if a slot is free, else on the caller's.
func (w *walker) spawn(f func()) {
	select {
	case w.sem <- struct{}{}:
		w.wg.Go(func() {
			defer func() { <-w.sem }()
			f()
		})
	default:
		f()
	}
}
