package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/ferry-tui/ferry/journal"
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
)

// newQueueCmd builds ferry queue and its subcommands.
func (a *app) newQueueCmd(cf *connFlags, code *int) *cobra.Command {
	q := &cobra.Command{
		Use:   "queue [list|resume|clear] [ID...]",
		Short: "list, resume or clear the transfers a crash, a kill or a quit left unfinished",
		Long: `Every copy and move is journalled in $XDG_STATE_HOME/ferry/queue.db (by default
~/.local/state/ferry) while it runs, so that one a crash, a kill, Ctrl-C, a
quit or a failure left unfinished can be continued: "ferry queue" lists them,
"ferry queue resume [ID...]" continues them (the files already copied are not
copied again; partial copies continue after the usual checks), "ferry queue
clear [ID...]" forgets them. Batches that finish are removed; at most 100 are
kept. Passwords and passphrases are never stored: they are asked again.`,
		Args:              exactOperands(0),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, args []string) error {
			*code = a.runQueueList()
			return nil
		},
	}
	q.AddCommand(&cobra.Command{
		Use:               "list",
		Short:             "list the unfinished transfers",
		Args:              exactOperands(0),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, args []string) error {
			*code = a.runQueueList()
			return nil
		},
	})
	var f cpFlags
	resume := &cobra.Command{
		Use:   "resume [flags] [ID...]",
		Short: "continue the unfinished transfers (all, or those named), oldest first",
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			*code = a.runQueueResume(cmd.Context(), *cf, f, args)
			return nil
		},
		ValidArgsFunction: a.completeQueueIDs,
	}
	resume.Flags().IntVarP(&f.workers, "jobs", "j", transfer.DefaultWorkers, "how many files to transfer at once")
	resume.Flags().IntVar(&f.retries, "retries", transfer.DefaultRetries, "how often a file is tried again after the connection dropped or stalled (0: never)")
	resume.Flags().DurationVar(&f.stall, "stall-timeout", transfer.DefaultStallTimeout, "a file that moves no bytes for this `duration` counts as stalled and is tried again (0: never)")
	resume.Flags().BoolVar(&f.noRanges, "no-ranges", false, "send each large file as one stream, never in parallel ranges over several channels")
	q.AddCommand(resume)
	q.AddCommand(&cobra.Command{
		Use:               "clear [ID...]",
		Short:             "forget the unfinished transfers (all, or those named); their files stay as they are",
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: a.completeQueueIDs,
		RunE: func(cmd *cobra.Command, args []string) error {
			*code = a.runQueueClear(args)
			return nil
		},
	})
	return q
}

// completeQueueIDs completes the ids of the journalled batches.
func (a *app) completeQueueIDs(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	js := a.openJournal()
	if js == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	list, _ := js.List()
	var out []cobra.Completion
	for _, r := range list {
		out = append(out, cobra.CompletionWithDesc(r.ID, text.Sanitize(r.Describe())))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// queueRecords returns the journalled batches, those named in ids if any.
func (a *app) queueRecords(js *journal.Store, ids []string) ([]journal.Record, error) {
	list, err := js.List()
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return list, nil
	}
	var out []journal.Record
	for _, id := range ids {
		i := slices.IndexFunc(list, func(r journal.Record) bool { return r.ID == id })
		if i < 0 {
			return nil, usageErr("no unfinished transfer %s in the queue (ferry queue lists them)", text.Sanitize(id))
		}
		out = append(out, list[i])
	}
	return out, nil
}

func (a *app) runQueueList() int {
	js := a.openJournal()
	if js == nil {
		fmt.Fprintln(a.stderr, "ferry queue: no journal (no state directory: set XDG_STATE_HOME or HOME)")
		return exitFailed
	}
	list, err := js.List()
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry queue:", text.Sanitize(err.Error()))
		return exitFailed
	}
	if len(list) == 0 {
		fmt.Fprintln(a.stdout, "no unfinished transfers")
		return exitOK
	}
	for _, r := range list {
		fmt.Fprintf(a.stdout, "%s  %s  %s\n", r.ID, r.Created.Local().Format("Jan _2 15:04"), text.Sanitize(r.Describe()))
		state := "interrupted"
		switch {
		case r.Running():
			state = fmt.Sprintf("running now (process %d)", r.PID)
		case r.Reason != "":
			state = text.Sanitize(r.Reason)
		}
		fmt.Fprintf(a.stdout, "    %d of %d files done (%s of %s), %s\n", r.FilesDone, r.Files,
			text.Bytes(r.BytesDone), text.Bytes(r.Bytes), state)
	}
	fmt.Fprintln(a.stdout, "ferry queue resume [ID...] continues them; ferry queue clear [ID...] forgets them.")
	return exitOK
}

func (a *app) runQueueClear(ids []string) int {
	js := a.openJournal()
	if js == nil {
		return exitFailed
	}
	list, err := a.queueRecords(js, ids)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry queue clear:", errText(err))
		return exitUsage
	}
	var del []string
	for _, r := range list {
		del = append(del, r.ID)
	}
	if err := js.Delete(del...); err != nil {
		fmt.Fprintln(a.stderr, "ferry queue clear:", text.Sanitize(err.Error()))
		return exitFailed
	}
	fmt.Fprintf(a.stdout, "forgot %s; their files stay as they are (partial copies included)\n", text.Plural(len(del), "unfinished transfer"))
	return exitOK
}

// runQueueResume continues the journalled batches one after the other,
// each as the copy it was, and returns the worst exit status. A batch
// whose host cannot be reached stays queued, with the reason.
func (a *app) runQueueResume(ctx context.Context, cf connFlags, f cpFlags, ids []string) int {
	js := a.openJournal()
	if js == nil {
		return exitFailed
	}
	list, err := a.queueRecords(js, ids)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry queue resume:", errText(err))
		return exitUsage
	}
	if len(list) == 0 {
		fmt.Fprintln(a.stderr, "ferry queue resume: no unfinished transfers")
		return exitOK
	}
	worst := exitOK
	for _, r := range list {
		if ctx.Err() != nil {
			break
		}
		if r.Running() {
			fmt.Fprintf(a.stderr, "ferry queue resume: %s is running now in process %d; not resumed\n", r.ID, r.PID)
			if len(ids) > 0 {
				worst = exitFailed
			}
			continue
		}
		fmt.Fprintf(a.stderr, "ferry queue resume: %s: %s\n", r.ID, text.Sanitize(r.Describe()))
		code := a.resumeOne(ctx, js, r, cf.verbose, f)
		if code == exitConnFail || worst == exitOK {
			worst = code
		} else if worst != exitConnFail && code != exitOK {
			worst = code
		}
	}
	return worst
}

// resumeOne continues record r.
func (a *app) resumeOne(ctx context.Context, js *journal.Store, r journal.Record, verbose bool, f cpFlags) int {
	done, err := js.Done(r.ID)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry queue resume:", text.Sanitize(err.Error()))
		return exitFailed
	}
	var closers []func()
	defer func() {
		for _, c := range closers {
			c()
		}
	}()
	side := func(e journal.Endpoint) (transfer.FS, error) {
		if e.Local() {
			return local.New(), nil
		}
		s, err := a.newSession(connFlagsOf(e, verbose))
		if err != nil {
			return nil, err
		}
		sess, _, err := s.connect(ctx, e.Host)
		if err != nil {
			return nil, err
		}
		closers = append(closers, func() { sess.Close() })
		return sess.FS, nil
	}
	srcFS, err := side(r.Src)
	var dstFS transfer.FS
	if err == nil {
		dstFS, err = side(r.Dst)
	}
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry queue resume:", errText(err))
		r.Reason = "could not connect: " + oneLine(err)
		r.Updated = time.Now()
		if perr := js.Put(r); perr != nil {
			fmt.Fprintln(a.stderr, "ferry: warning: journal:", text.Sanitize(perr.Error()))
		}
		fmt.Fprintln(a.stderr, "ferry queue resume: it stays in the queue")
		return exitConnFail
	}
	req, err := r.Request(srcFS, dstFS, done)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry queue resume:", text.Sanitize(err.Error()))
		return exitFailed
	}
	s, err := a.newSession(connFlagsOf(r.Dst, verbose))
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry:", err)
		return exitFailed
	}
	eng := transfer.New(f.engineOptions())
	defer eng.Close()
	b, err := eng.Submit(req)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry queue resume:", errText(err))
		return exitFailed
	}
	stop := s.journalFollow(js, b, journal.Batch{Command: "queue resume", Src: r.Src, Dst: r.Dst, Replaces: r.ID})
	defer stop()
	return s.follow(ctx, eng, b, "queue resume", dstFS)
}
