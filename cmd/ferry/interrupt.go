package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
)

// stopDeadline is how long the process may take to stop after Ctrl-C or
// SIGTERM (or quitting the UI). The engine closes a connection whose calls
// have not returned 1 s after the cancel; past this the process exits
// regardless, so that with the exit itself it is gone within 2 s.
const stopDeadline = 1900 * time.Millisecond

// interruptContext returns a context cancelled by the first SIGINT,
// SIGTERM or SIGHUP (the terminal closed: a killed tmux pane, a dropped
// ssh login), so that the process stops as it does on Ctrl-C, cleaning up
// after itself, rather than die where it stands. A second signal exits at
// once; so does a process that has not finished stopping stopDeadline
// after the first, saying what may be left.
func interruptContext() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
		case <-done:
			return
		}
		cancel()
		t := time.NewTimer(stopDeadline)
		defer t.Stop()
		select {
		case <-sigs:
			fmt.Fprintln(os.Stderr, "\nferry: interrupted again: stopping now. Copies not finished are in .NAME.ferry-part files beside their targets; the targets are as they were.")
			os.Exit(130)
		case <-t.C:
			fmt.Fprintf(os.Stderr, "\nferry: still not stopped %v after the interrupt (a server is not answering): exiting. Copies not finished are in .NAME.ferry-part files beside their targets; the targets are as they were.\n", stopDeadline)
			os.Exit(exitFailed)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}

// interrupted stops batch b of eng after Ctrl-C: every job is cancelled,
// and a job still blocked on a silent server has its connection closed by
// the engine. It waits for that, bounded (the process exits at
// stopDeadline anyway), and says what was done and what is left behind on
// dstFS: the partial copies, and the temporary files of copies still
// stopping.
func (s *session) interrupted(eng *transfer.Engine, b *transfer.Batch, name string, dstFS transfer.FS) {
	b.Cancel()
	ctx, cancel := context.WithTimeout(context.Background(), stopDeadline-150*time.Millisecond)
	defer cancel()
	sum, _ := b.Wait(ctx)
	done, _, kept := unfinished(b.Jobs())
	for _, j := range eng.Snapshot().Active {
		if j.Kind == transfer.KindFile && j.Batch == b.ID() {
			kept = append(kept, text.Sanitize(transfer.TempPath(dstFS, j.Dst))+" (if it was made: the copy was still stopping)")
		}
	}
	fmt.Fprintf(s.stderr, "ferry %s: interrupted: %s copied, %s moved; files not finished were left untouched at their targets", name, text.Plural(done, "file"), text.Bytes(sum.MovedBytes))
	if b.Request().Move {
		fmt.Fprintf(s.stderr, " and their sources where they were (%s removed)", text.Plural(sum.Removed, "source"))
	}
	if len(kept) == 0 {
		fmt.Fprintln(s.stderr, ", and no partial copies were left behind")
		return
	}
	fmt.Fprintf(s.stderr, "; partial copies left behind (--resume continues those of 8 MiB or more; any later copy to the same target replaces them):\n")
	for _, k := range kept {
		fmt.Fprintln(s.stderr, "  "+k)
	}
}

// unfinished counts the files of jobs done and those cancelled or failed,
// and lists the partial copies left behind, sanitised for the terminal.
func unfinished(jobs []transfer.JobStatus) (done, notDone int, kept []string) {
	for _, j := range jobs {
		if j.Kind != transfer.KindFile {
			continue
		}
		switch j.State {
		case transfer.Done:
			done++
		case transfer.Cancelled, transfer.Failed:
			notDone++
		}
		if j.Partial != "" {
			kept = append(kept, text.Sanitize(j.Partial))
		}
	}
	return done, notDone, kept
}

// maxQuitLines bounds how many cancelled copies the quit summary names.
const maxQuitLines = 10

// quitSummary says, after the UI ends, which copies it cancelled (and
// which had failed), which partial copies remain, with their host, and
// how to continue them; nothing when every copy had finished. A copy
// still stopping (the process exits before a server answered) is counted
// as cancelled, and the temporary file it may leave is named when fss,
// the file systems the UI was started with, hold its destination's.
func quitSummary(w io.Writer, eng *transfer.Engine, fss ...transfer.FS) {
	var cancelled, failed, kept []string
	for _, j := range eng.Jobs(0, 0) {
		if j.Kind != transfer.KindFile {
			continue
		}
		what := text.Sanitize(j.SrcLabel+":"+j.Src) + " -> " + text.Sanitize(j.DstLabel+":"+j.Dst)
		switch j.State {
		case transfer.Cancelled:
			cancelled = append(cancelled, what)
		case transfer.Failed:
			if errors.Is(j.Err, transfer.ErrClosed) || errors.Is(j.Err, context.Canceled) {
				// Stopped by the quit itself, on a server that did not
				// answer in time.
				cancelled = append(cancelled, what)
				break
			}
			failed = append(failed, what)
		case transfer.Running:
			cancelled = append(cancelled, what+" (still stopping)")
			if dst := fsLabelled(fss, j.DstLabel); dst != nil && j.Partial == "" {
				kept = append(kept, text.Sanitize(j.DstLabel+":"+transfer.TempPath(dst, j.Dst))+" (if it was made: the copy was still stopping)")
			}
		}
		if j.Partial != "" {
			kept = append(kept, text.Sanitize(j.DstLabel+":"+j.Partial))
		}
	}
	if len(cancelled) == 0 && len(failed) == 0 && len(kept) == 0 {
		return
	}
	list := func(head string, lines []string) {
		if len(lines) == 0 {
			return
		}
		fmt.Fprintln(w, head)
		for i, l := range lines {
			if i == maxQuitLines && len(lines) > maxQuitLines+1 {
				fmt.Fprintf(w, "  … and %d more\n", len(lines)-i)
				break
			}
			fmt.Fprintln(w, "  "+l)
		}
	}
	head := func(n int, why string) string {
		if n == 1 {
			return fmt.Sprintf("ferry: 1 file not copied: %s it; its target is as it was:", why)
		}
		return fmt.Sprintf("ferry: %d files not copied: %s them; their targets are as they were:", n, why)
	}
	list(head(len(cancelled), "quitting cancelled"), cancelled)
	list(head(len(failed), "earlier errors stopped"), failed)
	list("Partial copies left behind; copy the same files again to continue them (ferry resumes a partial copy: answer resume in ferry, or run ferry cp --resume):", kept)
}

// fsLabelled returns the file system of fss labelled label, or nil.
func fsLabelled(fss []transfer.FS, label string) transfer.FS {
	for _, f := range fss {
		if f != nil && f.Label() == label {
			return f
		}
	}
	return nil
}
