package transfer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
)

// outcome is how a job's run ended.
type outcome struct {
	state    State
	err      error
	conflict *Conflict // set: park the job until Answer
}

func done() outcome                      { return outcome{state: Done} }
func skipped(err error) outcome          { return outcome{state: Skipped, err: err} }
func failed(err error) outcome           { return outcome{state: Failed, err: err} }
func ask(c *Conflict) outcome            { return outcome{state: Queued, conflict: c} }
func failedf(f string, a ...any) outcome { return failed(fmt.Errorf(f, a...)) }

// run executes j on the calling worker and records how it ended. A try
// that ends because its connection dropped or its data stalled is made
// again, continuing the partial copy, once the connection is back (at most
// Options.Retries times).
func (e *Engine) run(j *job) {
	e.emit(j.b, Event{Kind: JobStarted, Batch: j.b.id, Job: j.id, State: Running, Path: j.dst})
	var (
		out         outcome
		interrupted bool // the last try's context ended before it did
	)
	for {
		if err := e.lostBefore(j); err != nil {
			out = failed(err)
			break
		}
		ctx, cancel := e.startTry(j)
		out = e.runOnce(ctx, j)
		interrupted = ctx.Err() != nil
		cancel()
		out = e.stallOutcome(j, out)
		if out.state == Failed && notRestored(out.err) {
			out.err = lostForGood(out.err)
			e.noteLost(j, out.err)
		}
		cause := e.retryCause(j, out)
		if cause == nil {
			break
		}
		if err := e.waitToRetry(j, out.err, cause); err != nil {
			out = failed(err)
			if notRestored(err) {
				e.noteLost(j, err)
			}
			break
		}
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	j.cancel = nil
	j.gens = nil
	if out.state == Failed && (j.cancelReq || e.closed || (interrupted && !j.stalled)) {
		out.state = Cancelled
		if out.err == nil || errors.Is(out.err, context.Canceled) {
			out.err = context.Canceled
		}
	}
	j.cancelReq = false
	j.err = out.err
	if out.state == Done || out.state == Skipped {
		j.partial = ""
	}
	if out.conflict != nil {
		e.park(j, out.conflict)
		return
	}
	e.setState(j, out.state)
}

// stallOutcome names the stall as the cause of a try the watchdog stopped.
func (e *Engine) stallOutcome(j *job, out outcome) outcome {
	e.mu.Lock()
	stalled := j.stalled && !j.cancelReq
	e.mu.Unlock()
	if stalled && out.state == Failed {
		out.err = &fs.PathError{Op: "copy", Path: j.src, Err: fmt.Errorf("%w for %v", ErrStalled, e.opts.StallTimeout)}
	}
	return out
}

// runOnce makes one try at j.
func (e *Engine) runOnce(ctx context.Context, j *job) outcome {
	switch j.kind {
	case KindFile:
		return e.runFile(ctx, j)
	case KindSymlink:
		return e.runLink(ctx, j)
	}
	return failedf("transfer: job %d of kind %v cannot run", j.id, j.kind)
}

// park puts j aside until its conflict is answered, unless a "for all"
// answer arrived meanwhile. Called with e.mu held.
func (e *Engine) park(j *job, c *Conflict) {
	e.setState(j, Queued)
	if j.b.policy != Ask {
		j.decision, j.decided = j.b.policy, true
		e.enqueue(j)
		return
	}
	j.conflict = c
	j.b.parked[j] = struct{}{}
	e.emit(j.b, Event{Kind: JobConflict, Batch: j.b.id, Job: j.id, State: Queued, Path: j.dst, Conflict: c})
}

// policyFor returns the policy deciding j's conflict.
func (e *Engine) policyFor(j *job) Policy {
	e.mu.Lock()
	defer e.mu.Unlock()
	if j.decided {
		return j.decision
	}
	return j.b.policy
}

// plan is what the conflict rules decided for a file or link.
type plan struct {
	dst     string      // where to write (a new name under Rename)
	dstInfo fs.FileInfo // what is there now, or nil
	resume  bool        // continue from a partial file if it checks out
	out     *outcome    // set: do not write, end with this
	landed  bool        // out is done: an earlier try's lost rename happened
}

// decide applies the conflict policy to j: it looks at the destination
// (unless the walk listed it) and says whether and where to write.
func (e *Engine) decide(ctx context.Context, j *job, dfs FS) plan {
	dst := j.dst
	dstInfo := j.dstInfo
	pol := e.policyFor(j)
	var partial <-chan lstatResult
	if !j.dstKnown {
		// A missing destination leads to a look at the temporary file
		// (decideMissing): both go at once, a round trip saved.
		if lookForPartial(j, pol) {
			partial = lstatAsync(ctx, dfs, tempPath(dfs, dst))
		}
		fi, err := dfs.Lstat(ctx, dst)
		switch {
		case err == nil:
			dstInfo = fi
		case !errors.Is(err, fs.ErrNotExist):
			o := failed(fmt.Errorf("check destination: %w", err))
			return plan{out: &o}
		}
	}
	dstInfo = e.repairReplace(ctx, j.b, dfs, dst, dstInfo)
	if e.landedBefore(j, dstInfo) {
		o := done()
		return plan{dst: dst, dstInfo: dstInfo, out: &o, landed: true}
	}
	if o, ok := doneBefore(j, dstInfo); ok {
		return plan{dst: dst, dstInfo: dstInfo, out: &o}
	}
	p := plan{dst: dst, dstInfo: dstInfo, resume: j.resume || pol == Resume}
	if dstInfo == nil {
		return e.decideMissing(ctx, j, dfs, pol, p, partial)
	}
	if dstInfo.IsDir() {
		o := failed(&fs.PathError{Op: "copy", Path: dst, Err: ErrIsDir})
		return plan{out: &o}
	}
	switch pol {
	case Ask:
		o := ask(&Conflict{
			Src: j.src, Dst: dst,
			SrcSize: j.info.Size(), DstSize: dstInfo.Size(),
			SrcTime: j.info.ModTime(), DstTime: dstInfo.ModTime(),
		})
		p.out = &o
	case Skip:
		o := skipped(&fs.PathError{Op: "copy", Path: dst, Err: ErrExists})
		p.out = &o
	case Newer:
		if !newerThan(j.info, dstInfo) {
			o := skipped(&fs.PathError{Op: "copy", Path: dst, Err: ErrNotNewer})
			p.out = &o
		}
	case Resume:
		if dstInfo.Size() == j.info.Size() && sameSecond(dstInfo.ModTime(), j.info.ModTime()) {
			o := skipped(&fs.PathError{Op: "resume", Path: dst, Err: fmt.Errorf("%w with the same size and time", ErrExists)})
			p.out = &o
		}
	case Rename:
		name, err := e.freeName(ctx, dfs, dst)
		if err != nil {
			o := failed(err)
			p.out = &o
			return p
		}
		p.dst, p.dstInfo = name, nil
		e.mu.Lock()
		j.dst = name
		e.mu.Unlock()
	}
	return p
}

// doneBefore reports whether an earlier run of j's request finished j
// (Request.Earlier): it says so, or the destination is a regular file
// with the source's size and, times being preserved, its time.
func doneBefore(j *job, dstInfo fs.FileInfo) (outcome, bool) {
	r := j.b.req
	if r.Earlier == nil {
		return outcome{}, false
	}
	if r.Earlier.Done[j.src] {
		return skipped(&fs.PathError{Op: "copy", Path: j.dst, Err: ErrDoneBefore}), true
	}
	if dstInfo != nil && !r.NoPreserve && dstInfo.Mode().IsRegular() && j.info != nil &&
		dstInfo.Size() == j.info.Size() && sameSecond(dstInfo.ModTime(), j.info.ModTime()) {
		return skipped(&fs.PathError{Op: "copy", Path: j.dst, Err: fmt.Errorf("%w: same size and time", ErrDoneBefore)}), true
	}
	return outcome{}, false
}

// landedBefore reports whether dstInfo is the copy that j's last try
// renamed into place before the connection dropped and took the answer
// with it: a regular file of the renamed size with the source's
// modification time or, when times are not preserved, one that is not
// the file that was there before. Without this check the retry would find
// its own copy and ask about it as an existing file.
func (e *Engine) landedBefore(j *job, dstInfo fs.FileInfo) bool {
	e.mu.Lock()
	lost, size, old := j.commitLost, j.commitSize, j.commitOld
	j.commitLost, j.commitOld = false, nil
	e.mu.Unlock()
	if !lost || dstInfo == nil || !dstInfo.Mode().IsRegular() || dstInfo.Size() != size {
		return false
	}
	if !j.b.req.NoPreserve {
		return sameSecond(dstInfo.ModTime(), j.info.ModTime())
	}
	return old == nil || old.Size() != size || !old.ModTime().Equal(dstInfo.ModTime())
}

// decideMissing decides for a destination that does not exist. A large
// file whose temporary file an interrupted copy left behind is never
// started over unless the policy says Overwrite: under Ask the question
// offers to resume; a Skip that answered a question (for this file or for
// all) leaves both alone; anything else continues the partial copy, when
// it checks out against the source.
func (e *Engine) decideMissing(ctx context.Context, j *job, dfs FS, pol Policy, p plan, partial <-chan lstatResult) plan {
	if !lookForPartial(j, pol) {
		return p
	}
	if partial == nil || p.dst != j.dst {
		partial = lstatAsync(ctx, dfs, tempPath(dfs, p.dst))
	}
	r := <-partial
	fi, err := r.fi, r.err
	if err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 {
		return p
	}
	switch {
	case pol == Ask:
		o := ask(&Conflict{
			Src: j.src, Dst: p.dst, Partial: true,
			SrcSize: j.info.Size(), DstSize: fi.Size(),
			SrcTime: j.info.ModTime(), DstTime: fi.ModTime(),
		})
		p.out = &o
	case pol == Skip && e.answered(j):
		o := skipped(&fs.PathError{Op: "copy", Path: p.dst, Err: errPartialKept})
		p.out = &o
	default:
		p.resume = true
	}
	return p
}

// lookForPartial reports whether a missing destination of j under pol
// calls for a look at its temporary file (decideMissing): a large file
// that is not resumed or overwritten anyway.
func lookForPartial(j *job, pol Policy) bool {
	return !j.resume && pol != Resume && pol != Overwrite && j.size() >= resumableFile
}

// lstatResult is an Lstat's answer.
type lstatResult struct {
	fi  fs.FileInfo
	err error
}

// lstatAsync starts an Lstat of name; its answer comes on the channel.
func lstatAsync(ctx context.Context, dfs FS, name string) <-chan lstatResult {
	ch := make(chan lstatResult, 1)
	go func() {
		fi, err := dfs.Lstat(ctx, name)
		ch <- lstatResult{fi, err}
	}()
	return ch
}

// answered reports whether j's policy came from an answer: to its own
// question, or "for all" to another of its batch.
func (e *Engine) answered(j *job) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return j.decided || j.b.answeredAll
}

// errPartialKept is why a file whose partial copy the user chose to keep
// was skipped.
var errPartialKept = errors.New("skipped; the partial copy of an earlier transfer is kept")

// freeName finds the first "name (n).ext" beside dst that does not exist.
func (e *Engine) freeName(ctx context.Context, dfs FS, dst string) (string, error) {
	dir, base := dfs.Dir(dst), dfs.Base(dst)
	for n := 1; n <= 10000; n++ {
		c := dfs.Join(dir, numbered(base, n))
		_, err := dfs.Lstat(ctx, c)
		if errors.Is(err, fs.ErrNotExist) {
			return c, nil
		}
		if err != nil {
			return "", fmt.Errorf("find a free name for %s: %w", dst, err)
		}
	}
	return "", &fs.PathError{Op: "rename", Path: dst, Err: errors.New("no free name")}
}
