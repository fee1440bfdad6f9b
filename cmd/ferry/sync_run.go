package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ferry-tui/ferry/mirror"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
)

// runSync is ferry sync: plan, then (without -n) prepare, copy on the
// engine, delete and fix directory times, in that order.
func (a *app) runSync(ctx context.Context, cf connFlags, f syncFlags, srcArg, dstArg string) int {
	opts, err := f.options()
	var src, dst operand
	if err == nil {
		src, err = parseOperand(srcArg)
	}
	if err == nil {
		dst, err = parseOperand(dstArg)
	}
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry sync:", errText(err))
		return exitUsage
	}
	s, err := a.newSession(cf)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry:", err)
		return exitFailed
	}
	defer func() { s.close() }() // s.close grows as sessions open
	srcFS, srcPaths, dstFS, dstPath, code := s.openSides(ctx, []operand{src}, dst)
	if code != exitOK {
		return code
	}
	srcPath := srcPaths[0]
	if srcFS == dstFS && (transfer.Within(srcPath, dstPath, srcFS.Separator()) || transfer.Within(dstPath, srcPath, srcFS.Separator())) {
		fmt.Fprintf(a.stderr, "ferry sync: %s and %s overlap: one is inside the other\n", text.Sanitize(srcArg), text.Sanitize(dstArg))
		return exitUsage
	}

	if opts.Checksum {
		defer serverSums(ctx, &opts, srcFS, dstFS)()
	}
	bar := newProgressBar(s.stderr, s.isTerminal)
	opts.Progress = func(p mirror.Progress) { bar.drawText(planProgress(p)) }
	// Without -n the copies start while the trees are still compared
	// (when the plan allows: not with --delete or --checksum).
	var run syncRun
	if !f.dryRun {
		opts.Early = func(req transfer.Request) {
			run.eng = transfer.New(f.engineOptions())
			run.early, run.err = run.eng.Submit(req)
		}
		defer run.close()
	}
	start := time.Now()
	p, err := mirror.MakePlan(ctx, srcFS, srcPath, dstFS, dstPath, opts)
	bar.clear()
	if err == nil && run.err != nil {
		err = run.err
	}
	if err != nil {
		changed := "nothing was changed"
		if run.early != nil {
			_ = run.eng.CancelBatch(run.early.ID())
			_, _ = run.early.Wait(context.Background())
			changed = "files copied so far stay"
		}
		if ctx.Err() != nil {
			fmt.Fprintln(s.stderr, "ferry sync: interrupted while comparing; "+changed)
			return exitFailed
		}
		fmt.Fprintln(s.stderr, "ferry sync:", errText(err))
		return exitFailed
	}
	planned := time.Since(start)
	s.syncNotes(p)
	if p.ServerHashed > 0 {
		fmt.Fprintf(s.stderr, "ferry sync: %s hashed by the server (check-file), not read\n", text.Plural(int(p.ServerHashed), "file"))
	}
	if f.dryRun {
		printPlan(s.stdout, p)
		return exitOK
	}
	if n := p.Deletions(); f.maxDelete >= 0 && n > f.maxDelete {
		fmt.Fprintf(s.stderr, "ferry sync: the sync would delete %s, more than --max-delete %d allows: nothing was changed\n", text.Plural(n, "entry"), f.maxDelete)
		return exitFailed
	}
	return s.applySync(ctx, f, p, planned, &run)
}

// syncRun is the engine of a sync whose copies started while planning
// (mirror.Options.Early), and their batch.
type syncRun struct {
	eng   *transfer.Engine
	early *transfer.Batch
	err   error // from submitting the early request
}

// close closes the engine, if one started.
func (r *syncRun) close() {
	if r.eng != nil {
		r.eng.Close()
	}
}

// serverSums sets opts.SrcSum and opts.DstSum for the remote sides, so
// that --checksum asks their servers for hashes (check-file) instead of
// reading the files; a server without the extension says so at its first
// file and its files are read. It returns what closes the hash channels.
func serverSums(ctx context.Context, opts *mirror.Options, src, dst transfer.FS) (closeAll func()) {
	var open []*remote.Hasher
	sum := func(fsys transfer.FS) mirror.SumFunc {
		rfs, ok := fsys.(*remote.FS)
		if !ok {
			return nil
		}
		h, err := rfs.OpenHasher(ctx)
		if err != nil {
			return nil // the files are read, as without the extension
		}
		open = append(open, h)
		return h.Sum
	}
	opts.SrcSum = sum(src)
	if dst == src {
		opts.DstSum = opts.SrcSum
	} else {
		opts.DstSum = sum(dst)
	}
	return func() {
		for _, h := range open {
			h.Close()
		}
	}
}

// applySync runs plan p and reports; it returns the exit status.
func (s *session) applySync(ctx context.Context, f syncFlags, p *mirror.Plan, planned time.Duration, run *syncRun) int {
	code := exitOK
	for _, a := range p.Refused() {
		fmt.Fprintf(s.stderr, "ferry sync: %s: %v\n", text.Sanitize(p.Dst.Join(p.DstDir, a.Path)), mirror.ErrReplaceNeedsDelete)
		code = exitFailed
	}
	if !p.Copies() && p.Deletions() == 0 && !p.DstMissing {
		if run.early != nil { // it copies nothing: stop its walk
			_ = run.eng.CancelBatch(run.early.ID())
			if _, err := run.early.Wait(ctx); err != nil {
				fmt.Fprintln(s.stderr, "ferry sync:", errText(err))
				return exitFailed
			}
		}
		if modeChanges(p) == 0 {
			fmt.Fprintf(s.stderr, "ferry sync: up to date (%s compared in %s)\n", entries(p.Entries), planned.Round(time.Millisecond))
		} else {
			fmt.Fprintf(s.stderr, "ferry sync: nothing to copy (%s compared in %s)\n", entries(p.Entries), planned.Round(time.Millisecond))
		}
		return max(code, s.fixDirs(ctx, p))
	}
	if err := p.Prepare(ctx); err != nil {
		fmt.Fprintln(s.stderr, "ferry sync:", errText(err))
		return exitFailed
	}
	eng, b := run.eng, run.early
	if req, ok := p.Request(); ok {
		eng = transfer.New(f.engineOptions())
		defer eng.Close()
		var err error
		if b, err = eng.Submit(req); err != nil {
			fmt.Fprintln(s.stderr, "ferry sync:", errText(err))
			return exitFailed
		}
	}
	if b != nil {
		if c := s.follow(ctx, eng, b, "sync", p.Dst); c != exitOK {
			if n := p.Totals().Deleted; n > 0 {
				fmt.Fprintf(s.stderr, "ferry sync: not every copy succeeded, so nothing was deleted (%s planned)\n", text.Plural(n, "deletion"))
			}
			return c
		}
	}
	if n := p.Totals().Deleted; n > 0 {
		deleted := 0
		err := p.Delete(ctx, func(mirror.Action) { deleted++ })
		fmt.Fprintf(s.stderr, "ferry sync: %s deleted\n", text.Plural(deleted, "entry"))
		if err != nil {
			fmt.Fprintln(s.stderr, "ferry sync:", errText(err))
			code = exitFailed
		}
	}
	return max(code, s.fixDirs(ctx, p))
}

// fixDirs sets the permissions of files whose mode alone changed and the
// directories' times and modes, reporting failures.
func (s *session) fixDirs(ctx context.Context, p *mirror.Plan) int {
	if err := p.FixDirs(ctx); err != nil {
		fmt.Fprintln(s.stderr, "ferry sync:", errText(err))
		return exitFailed
	}
	if n := modeChanges(p); n > 0 {
		fmt.Fprintf(s.stderr, "ferry sync: permissions of %s set\n", text.Plural(n, "file"))
	}
	return exitOK
}

// modeChanges counts p's files whose permission bits alone change.
func modeChanges(p *mirror.Plan) int {
	n := 0
	for _, a := range p.Actions {
		if a.ModeOnly {
			n++
		}
	}
	return n
}

// syncNotes lists the source entries the sync leaves alone, as cp does.
func (s *session) syncNotes(p *mirror.Plan) {
	if len(p.Notes) == 0 {
		return
	}
	fmt.Fprintln(s.stderr, "ferry sync: skipped:")
	for _, n := range p.Notes {
		line := oneLine(n.Err)
		if errors.Is(n.Err, transfer.ErrLinkOutside) {
			line += " (-L copies what it points to)"
		}
		fmt.Fprintln(s.stderr, "  "+line)
	}
}

// printPlan writes p for -n: a line per action, then the totals.
func printPlan(w io.Writer, p *mirror.Plan) {
	for _, a := range p.Actions {
		fmt.Fprintln(w, actionLine(a, p.Options.Delete))
	}
	t := p.Totals()
	var parts []string
	parts = append(parts, fmt.Sprintf("%d new (%s)", t.New, text.Bytes(t.NewBytes)))
	parts = append(parts, fmt.Sprintf("%d changed (%s)", t.Changed, text.Bytes(t.ChangedBytes)))
	if p.Options.Delete {
		parts = append(parts, fmt.Sprintf("%d to delete (%s)", t.Deleted, text.Bytes(t.DeletedBytes)))
	}
	fmt.Fprintf(w, "dry run: %s; %s compared; nothing was changed\n", strings.Join(parts, ", "), entries(p.Entries))
}

// actionLine renders one action: "+ dir/file (1.2K, new)".
func actionLine(a mirror.Action, deleting bool) string {
	name := text.Sanitize(a.Path)
	var what []string
	switch a.Type {
	case transfer.KindDir:
		name += "/"
	case transfer.KindSymlink:
		what = append(what, "link")
	case transfer.KindFile:
		if !a.ModeOnly {
			what = append(what, text.Bytes(a.Size))
		}
	}
	reason := a.Reason
	if a.Replace && !deleting {
		reason += "; needs --delete"
	}
	what = append(what, reason)
	return fmt.Sprintf("%s %s (%s)", a.Kind.Symbol(), name, strings.Join(what, ", "))
}

// planProgress is the progress line while planning.
func planProgress(p mirror.Progress) string {
	if p.ToHash > 0 {
		return fmt.Sprintf("comparing: %s entries, checksums %s of %s files", grouped(p.Entries), grouped(p.Hashed), grouped(p.ToHash))
	}
	return "comparing: " + grouped(p.Entries) + " entries"
}

// entries renders a count of entries: "1 entry", "8,412 entries".
func entries(n int64) string {
	if n == 1 {
		return "1 entry"
	}
	return grouped(n) + " entries"
}

// grouped renders n with thousands separators: 8,412.
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + grouped(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// drawText replaces the progress line with msg, as draw does with a
// transfer's state.
func (b *progressBar) drawText(msg string) {
	if !b.on {
		return
	}
	b.drawn = true
	if r := []rune(msg); len(r) > 80 {
		msg = string(r[:79]) + "…"
	}
	fmt.Fprint(b.w, "\r\x1b[K"+msg)
}
