// Package find is the recursive name search of ferry's user interface:
// Walk lists a directory tree on a transfer.FS with a bounded number of
// directories listed at once and streams the names that match; Model is
// the overlay that asks for the pattern, shows the matches as they come
// and sends the root a GoMsg for the one chosen. Nothing here touches a
// disk but through the transfer.FS, and only inside the walk's goroutines.
package find

import (
	"context"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// DefaultWorkers is how many directories a walk lists at once: enough to
// hide a long round trip, few enough not to flood a server.
const DefaultWorkers = 16

// MaxMatches is where a walk stops collecting matches.
const MaxMatches = 50000

// Match is one entry whose name matched.
type Match struct {
	// Dir is the directory the entry is in, as the file system names it.
	Dir string
	// Name is the entry's raw name.
	Name string
	// IsDir says the entry is a directory.
	IsDir bool
}

// Batch is what a walk reports at once: new matches and how far it got.
type Batch struct {
	// Matches are the matches found since the last batch.
	Matches []Match
	// Dirs is how many directories were listed so far.
	Dirs int
	// Failed is how many directories could not be listed so far.
	Failed int
	// Done says the walk ended (finished, stopped or hit MaxMatches); it
	// is the last batch.
	Done bool
	// Full says the walk stopped at MaxMatches.
	Full bool
}

// Matcher reports whether a name matches a pattern.
type Matcher func(name string) bool

// NewMatcher returns the matcher of pattern, case-insensitive: a glob
// (path.Match syntax) when it holds *, ? or [, else a substring.
func NewMatcher(pattern string) Matcher {
	p := strings.ToLower(pattern)
	if strings.ContainsAny(p, "*?[") {
		if _, err := path.Match(p, ""); err == nil {
			return func(name string) bool {
				ok, _ := path.Match(p, strings.ToLower(name))
				return ok
			}
		}
	}
	return func(name string) bool { return strings.Contains(strings.ToLower(name), p) }
}

// Walk searches the tree under root on fsys for names match accepts,
// listing up to workers directories at once, and sends what it finds on
// the returned channel in batches, at most every interval, ending with a
// batch whose Done is set; the channel is then closed. Cancelling ctx
// stops it: no directory is listed after that. Symbolic links are
// reported but not followed, so a loop of links cannot trap it.
func Walk(ctx context.Context, fsys transfer.FS, root string, match Matcher, workers int, interval time.Duration) <-chan Batch {
	return walk(ctx, fsys, root, match, workers, interval, MaxMatches)
}

// walk is Walk stopping at limit matches.
func walk(ctx context.Context, fsys transfer.FS, root string, match Matcher, workers int, interval time.Duration, limit int) <-chan Batch {
	out := make(chan Batch, 4)
	w := &walker{ctx: ctx, fsys: fsys, match: match, pending: []string{root}, limit: limit}
	w.cond = sync.NewCond(&w.mu)
	workers = max(workers, 1)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.work()
		}()
	}
	// Wake the workers when ctx ends, so they stop waiting.
	stop := context.AfterFunc(ctx, func() {
		w.mu.Lock()
		w.cond.Broadcast()
		w.mu.Unlock()
	})
	finished := make(chan struct{})
	go func() {
		wg.Wait()
		stop()
		close(finished)
	}()
	go w.report(out, finished, interval)
	return out
}

// walker is the state shared by a walk's workers.
type walker struct {
	ctx   context.Context
	fsys  transfer.FS
	match Matcher
	limit int

	mu      sync.Mutex
	cond    *sync.Cond
	pending []string // directories to list, taken from the end
	busy    int      // directories being listed
	found   []Match  // matches not reported yet
	total   int      // matches found
	dirs    int
	failed  int
	full    bool
}

// work lists directories until none is left, the walk is cancelled or
// full.
func (w *walker) work() {
	for {
		w.mu.Lock()
		for len(w.pending) == 0 && w.busy > 0 && w.ctx.Err() == nil && !w.full {
			w.cond.Wait()
		}
		if len(w.pending) == 0 || w.ctx.Err() != nil || w.full {
			w.cond.Broadcast()
			w.mu.Unlock()
			return
		}
		dir := w.pending[len(w.pending)-1]
		w.pending = w.pending[:len(w.pending)-1]
		w.busy++
		w.mu.Unlock()

		infos, err := w.fsys.ReadDir(w.ctx, dir)
		var subdirs []string
		var found []Match
		for _, fi := range infos {
			name := fi.Name()
			if fi.IsDir() {
				subdirs = append(subdirs, w.fsys.Join(dir, name))
			}
			if w.match(name) {
				found = append(found, Match{Dir: dir, Name: name, IsDir: fi.IsDir()})
			}
		}

		w.mu.Lock()
		w.busy--
		if err != nil && w.ctx.Err() == nil {
			w.failed++
		} else if err == nil {
			w.dirs++
		}
		w.pending = append(w.pending, subdirs...)
		if room := w.limit - w.total; len(found) >= room {
			found, w.full = found[:room], true
		}
		w.found = append(w.found, found...)
		w.total += len(found)
		w.cond.Broadcast()
		w.mu.Unlock()
	}
}

// take returns what was found since the last call.
func (w *walker) take(done bool) Batch {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := Batch{Matches: w.found, Dirs: w.dirs, Failed: w.failed, Done: done, Full: w.full}
	w.found = nil
	return b
}

// report sends a batch every interval while there is news, and the last
// one when the workers have finished. A reader that went away (ctx
// cancelled) is not waited for.
func (w *walker) report(out chan<- Batch, finished <-chan struct{}, interval time.Duration) {
	defer close(out)
	tick := time.NewTicker(max(interval, time.Millisecond))
	defer tick.Stop()
	lastDirs := 0
	for {
		select {
		case <-finished:
			select {
			case out <- w.take(true):
			case <-w.ctx.Done():
			}
			return
		case <-tick.C:
			b := w.take(false)
			if len(b.Matches) == 0 && b.Dirs == lastDirs {
				continue
			}
			lastDirs = b.Dirs
			select {
			case out <- b:
			case <-w.ctx.Done():
				// Keep what was taken for the last batch nobody reads.
			}
		}
	}
}
