package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/journal"
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui"
)

// uiJournal journals the batches of the UI's engine, and at start offers
// to resume those an earlier run left unfinished. Batches between file
// systems it cannot name again (the demo's) are not journalled.
type uiJournal struct {
	s  *session
	js *journal.Store // nil: no journal

	mu        sync.Mutex
	endpoints map[transfer.FS]journal.Endpoint
	// replaces maps the engine's batches that resume a record to it;
	// repMu guards it.
	repMu    sync.Mutex
	replaces map[transfer.BatchID]string
	recs     []*journal.Recording
	pending  sync.WaitGroup
	stopped  bool
}

func newUIJournal(s *session, js *journal.Store) *uiJournal {
	return &uiJournal{s: s, js: js, endpoints: map[transfer.FS]journal.Endpoint{}, replaces: map[transfer.BatchID]string{}}
}

// remember notes that fsys was opened as h, with the session's flags.
func (u *uiJournal) remember(fsys transfer.FS, h config.Host) {
	host := h.Alias
	if h.User != "" && !strings.Contains(h.Alias, "@") {
		host = h.User + "@" + h.Alias
	}
	full := endpoint(operand{remote: true, dest: host}, u.s.flags)
	full.Port = h.Port
	u.mu.Lock()
	u.endpoints[fsys] = full
	u.mu.Unlock()
}

// endpoint names fsys for the journal; ok is false for one it cannot.
func (u *uiJournal) endpoint(fsys transfer.FS) (journal.Endpoint, bool) {
	if _, ok := fsys.(*local.FS); ok {
		return journal.Endpoint{}, true
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	e, ok := u.endpoints[fsys]
	return e, ok
}

// onSubmit is the engine's Options.OnSubmit: it starts recording b in the
// background (the UI submits from its update loop, which must not wait
// for the disk).
func (u *uiJournal) onSubmit(b *transfer.Batch) {
	if u.js == nil {
		return
	}
	req := b.Request()
	if req.Select != nil {
		return // a sync's selection cannot be journalled: running it again plans again
	}
	src, ok1 := u.endpoint(req.Src)
	dst, ok2 := u.endpoint(req.Dst)
	if !ok1 || !ok2 {
		return
	}
	u.pending.Add(1)
	go func() {
		defer u.pending.Done()
		u.repMu.Lock()
		replaces := u.replaces[b.ID()]
		delete(u.replaces, b.ID())
		u.repMu.Unlock()
		rec, err := u.js.Follow(b, journal.Batch{Command: "ui", Src: src, Dst: dst, ForgetCancelled: true, Replaces: replaces})
		if err != nil {
			u.s.logf("journal: %v", err)
			return
		}
		u.mu.Lock()
		defer u.mu.Unlock()
		if u.stopped {
			rec.Stop()
			return
		}
		u.recs = append(u.recs, rec)
	}()
}

// stop ends every recording, keeping the unfinished batches for a later
// run, and returns how many it kept. Called when the UI has ended, before
// the engine closes.
func (u *uiJournal) stop() int {
	u.pending.Wait()
	u.mu.Lock()
	u.stopped = true
	recs := u.recs
	u.mu.Unlock()
	kept := 0
	for _, r := range recs {
		if r.Stop() == nil && !r.Cleared() {
			kept++
		}
	}
	return kept
}

// offer asks, through ask, whether to resume the batches earlier runs left
// unfinished, and resumes or discards them as answered; Esc keeps them
// for later. It runs in its own goroutine while the UI runs.
func (u *uiJournal) offer(ctx context.Context, ask tui.Asker, hooks *tuiHooks, eng *transfer.Engine) {
	if u.js == nil {
		return
	}
	all, err := u.js.List()
	if err != nil {
		ask.Warn(text.Sanitize(err.Error()))
		return
	}
	var list []journal.Record
	var bytes int64
	hosts := map[string]bool{}
	for _, r := range all {
		if r.Running() {
			continue
		}
		list = append(list, r)
		bytes += r.Bytes - r.BytesDone
		for _, e := range []journal.Endpoint{r.Src, r.Dst} {
			if !e.Local() {
				hosts[e.Host] = true
			}
		}
	}
	if len(list) == 0 {
		return
	}
	var names []string
	for h := range hosts {
		names = append(names, h)
	}
	what := text.Bytes(bytes) + " left"
	if len(names) > 0 {
		sort.Strings(names)
		what = strings.Join(names, ", ") + ", " + what
	}
	q := fmt.Sprintf("%s (%s): r resume, d discard, Esc later", text.Plural(len(list), "unfinished transfer"), what)
	for {
		answer, err := ask.AskText(ctx, q, true)
		if err != nil {
			return // Esc, or the UI ended: they stay
		}
		switch strings.ToLower(strings.TrimSpace(answer)) {
		case "r", "resume":
			u.resume(ctx, list, ask, hooks, eng)
			return
		case "d", "discard":
			var ids []string
			for _, r := range list {
				ids = append(ids, r.ID)
			}
			if err := u.js.Delete(ids...); err != nil {
				ask.Warn(text.Sanitize(err.Error()))
				return
			}
			ask.Warn("discarded " + text.Plural(len(ids), "unfinished transfer") + "; their files stay as they are")
			return
		}
	}
}

// resume submits each record to the UI's engine, connecting the hosts it
// needs (questions go to the UI's dialogs). One whose host cannot be
// reached stays queued, with the reason.
func (u *uiJournal) resume(ctx context.Context, list []journal.Record, ask tui.Asker, hooks *tuiHooks, eng *transfer.Engine) {
	conns := map[string]transfer.FS{}
	side := func(e journal.Endpoint) (transfer.FS, error) {
		if e.Local() {
			return local.New(), nil
		}
		key := fmt.Sprint(e)
		if f, ok := conns[key]; ok {
			return f, nil
		}
		// The journalled flags, not this run's, say how to reach it.
		s, err := hooks.s.newSession(connFlagsOf(e, false))
		if err != nil {
			return nil, err
		}
		s.log = hooks.s.log
		sub := &tuiHooks{s: s, questions: hooks.questions, engine: eng, journal: u}
		f, err := sub.connect(ctx, e.Host, ask)
		hooks.adopt(sub)
		if err != nil {
			return nil, err
		}
		conns[key] = f
		return f, nil
	}
	started := 0
	for _, r := range list {
		src, err := side(r.Src)
		var dst transfer.FS
		if err == nil {
			dst, err = side(r.Dst)
		}
		var req transfer.Request
		var done map[string]bool
		if err == nil {
			done, err = u.js.Done(r.ID)
		}
		if err == nil {
			req, err = r.Request(src, dst, done)
		}
		if err == nil {
			err = u.submit(eng, req, r.ID)
		}
		if err != nil {
			r.Reason = "could not resume: " + oneLine(err)
			u.js.Put(r)
			ask.Warn("not resumed: " + text.Sanitize(r.Describe()) + ": " + oneLine(err))
			continue
		}
		started++
	}
	if started > 0 {
		ask.Warn("resumed " + text.Plural(started, "unfinished transfer") + ": see the queue view")
	}
}

// adopt takes over the sessions sub opened, so that closeAll closes them.
func (w *tuiHooks) adopt(sub *tuiHooks) {
	sub.mu.Lock()
	sessions := sub.sessions
	sub.sessions = nil
	sub.mu.Unlock()
	w.mu.Lock()
	w.sessions = append(w.sessions, sessions...)
	w.mu.Unlock()
}

// logf writes a debug line when -v asked for them.
func (s *session) logf(format string, args ...any) {
	if s.log != nil {
		fmt.Fprintf(s.log, "ferry: "+format+"\n", args...)
	}
}

// submit hands req, which continues record id, to the engine; onSubmit
// journals it in place of id.
func (u *uiJournal) submit(eng *transfer.Engine, req transfer.Request, id string) error {
	// onSubmit runs inside Submit and reads replaces in its goroutine,
	// which waits for repMu: the batch's id is set before it can look.
	u.repMu.Lock()
	defer u.repMu.Unlock()
	b, err := eng.Submit(req)
	if err == nil {
		u.replaces[b.ID()] = id
	}
	return err
}
