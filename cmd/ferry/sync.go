package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/ferry-tui/ferry/mirror"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

const syncLong = `Make DST look like SRC: copy what is new or changed in SRC, and with
--delete remove from DST what SRC does not have. SRC and DST are directories,
each local or [user@]host:path; DST is created if missing (not its parents).
The ssh flags are cp's.

Files compare by size and modification time (times within --modify-window,
1s by default, count as equal, since SFTP keeps whole seconds), by content
with --checksum, or by size alone with --size-only. Copies go through the
same engine as cp: temporary file and rename, resume, reconnect, times and
modes preserved, symbolic links recreated when they point inside SRC.
Changed files are replaced without asking: that is what a sync is for.

--delete runs only after every copy succeeded; --max-delete N refuses the whole
run when it would delete more than N entries. -n shows the plan and changes
nothing: + new, ~ changed, - deleted, with sizes, reasons and totals.

--exclude and --include take rsync-like patterns, tried in the order given
against each path below SRC (the first match decides; no match: included).
* matches within a name, ** across "/", a leading / anchors at the top, a
trailing / matches only directories. An excluded entry is neither copied nor
deleted, and an excluded directory is skipped whole. --exclude-from reads
patterns from a file, one a line (# and ; start comments).`

// syncFlags are ferry sync's own flags.
type syncFlags struct {
	dryRun       bool
	delete       bool
	maxDelete    int
	checksum     bool
	sizeOnly     bool
	modifyWindow time.Duration
	rules        ruleList
	workers      int
	retries      int
	stall        time.Duration
	noRanges     bool
	copyLinks    bool
	fsync        string
	limit        string // --limit as given
	// eng holds the engine's flags once the settings filled in what the
	// command line left out (engineOptions reads it).
	eng cpFlags
}

// ruleList collects --include, --exclude and --exclude-from in the order
// given, which decides which rule matches first.
type ruleList struct {
	rules []mirror.Rule
}

// ruleFlag is one of the three flags feeding a ruleList.
type ruleFlag struct {
	list    *ruleList
	include bool
	file    bool
}

func (f ruleFlag) String() string { return "" }

func (f ruleFlag) Type() string {
	if f.file {
		return "file"
	}
	return "pattern"
}

// Set adds a pattern, or every pattern of a file.
func (f ruleFlag) Set(v string) error {
	if !f.file {
		f.list.rules = append(f.list.rules, mirror.Rule{Include: f.include, Pattern: v})
		return nil
	}
	r, err := os.Open(v)
	if err != nil {
		return err
	}
	defer r.Close()
	rules, err := mirror.ReadRules(r, false)
	if err != nil {
		return fmt.Errorf("%s: %w", v, err)
	}
	f.list.rules = append(f.list.rules, rules...)
	return nil
}

// limitFlag is a count that is unset (-1) until given; help shows no
// default for it.
type limitFlag struct{ n *int }

func (f limitFlag) String() string {
	if f.n == nil || *f.n < 0 {
		return ""
	}
	return strconv.Itoa(*f.n)
}

func (f limitFlag) Type() string { return "N" }

// Set parses a count of zero or more.
func (f limitFlag) Set(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return fmt.Errorf("%q is not a count of zero or more", v)
	}
	*f.n = n
	return nil
}

// register adds sync's flags to fset.
func (f *syncFlags) register(fset *pflag.FlagSet) {
	fset.BoolVarP(&f.dryRun, "dry-run", "n", false, "show what would be done and change nothing")
	fset.BoolVar(&f.delete, "delete", false, "delete entries of DST that SRC does not have, once every copy succeeded")
	f.maxDelete = -1
	fset.Var(limitFlag{&f.maxDelete}, "max-delete", "refuse the whole run if it would delete more than `N` entries")
	fset.BoolVarP(&f.checksum, "checksum", "c", false, "compare files of equal size by their contents, not their times")
	fset.BoolVar(&f.sizeOnly, "size-only", false, "compare files by size alone")
	fset.DurationVar(&f.modifyWindow, "modify-window", mirror.DefaultModifyWindow, "modification times this close count as equal (at least 1s; 2s for FAT)")
	fset.Var(ruleFlag{list: &f.rules}, "exclude", "leave out entries matching `pattern` (repeatable)")
	fset.Var(ruleFlag{list: &f.rules, include: true}, "include", "do not leave out entries matching `pattern` (repeatable; first match wins)")
	fset.Var(ruleFlag{list: &f.rules, file: true}, "exclude-from", "read exclude patterns from `file`, one a line")
	fset.IntVarP(&f.workers, "jobs", "j", transfer.DefaultWorkers, "how many files to transfer at once")
	fset.IntVar(&f.retries, "retries", transfer.DefaultRetries, "how often a file is tried again after the connection dropped or stalled (0: never)")
	fset.DurationVar(&f.stall, "stall-timeout", transfer.DefaultStallTimeout, "a file that moves no bytes for this `duration` counts as stalled and is tried again (0: never)")
	fset.BoolVar(&f.noRanges, "no-ranges", false, "send each large file as one stream, never in parallel ranges over several channels")
	fset.BoolVarP(&f.copyLinks, "copy-links", "L", false, "copy what symbolic links point to instead of the links")
	fset.StringVar(&f.fsync, "fsync", "auto", "flush a file to stable storage before it takes its name, as `mode` says: auto (files that replace one), always or never")
	registerLimit(fset, &f.limit)
}

// syncDefaults fills the engine's flags the command line left out from
// the settings file, as cp does.
func (a *app) syncDefaults(fs *pflag.FlagSet, f *syncFlags) error {
	f.eng = f.cpFlags()
	if err := a.copyDefaults(fs, &f.eng, f.limit); err != nil {
		return err
	}
	_, err := f.eng.durability()
	return err
}

// options are the planner's options from the flags.
func (f *syncFlags) options() (mirror.Options, error) {
	if f.checksum && f.sizeOnly {
		return mirror.Options{}, usageErr("--checksum and --size-only cannot be combined")
	}
	if f.maxDelete >= 0 && !f.delete {
		return mirror.Options{}, usageErr("--max-delete needs --delete")
	}
	if f.modifyWindow < time.Second {
		return mirror.Options{}, usageErr("--modify-window must be at least 1s: SFTP keeps whole seconds")
	}
	filter, err := mirror.NewFilter(f.rules.rules)
	if err != nil {
		return mirror.Options{}, usageErr("%v", err)
	}
	return mirror.Options{
		Delete: f.delete, Checksum: f.checksum, SizeOnly: f.sizeOnly,
		ModifyWindow: f.modifyWindow, Filter: filter, FollowLinks: f.copyLinks,
	}, nil
}

// engineOptions are the transfer engine's options from the flags and the
// settings (see syncDefaults), as cp's.
func (f *syncFlags) engineOptions() transfer.Options {
	if f.eng == (cpFlags{}) {
		f.eng = f.cpFlags()
	}
	return f.eng.engineOptions()
}

// cpFlags are the engine's flags as the command line gave them.
func (f *syncFlags) cpFlags() cpFlags {
	return cpFlags{workers: f.workers, retries: f.retries, stall: f.stall, noRanges: f.noRanges, fsync: f.fsync}
}

// newSyncCmd builds ferry sync.
func (a *app) newSyncCmd(cf *connFlags, code *int) *cobra.Command {
	var f syncFlags
	cmd := &cobra.Command{
		Use:               "sync [flags] SRC DST",
		Short:             "make directory DST look like SRC, one way (local or HOST:PATH each)",
		Long:              syncLong,
		Args:              exactOperands(2),
		ValidArgsFunction: a.completePaths(cf),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.syncDefaults(cmd.Flags(), &f); err != nil {
				fmt.Fprintln(a.stderr, "ferry sync:", err)
				*code = exitFailed
				if errors.Is(err, errUsage) {
					*code = exitUsage
				}
				return nil
			}
			*code = a.runSync(cmd.Context(), *cf, f, args[0], args[1])
			return nil
		},
	}
	cmd.Flags().SortFlags = false
	f.register(cmd.Flags())
	for _, name := range []string{"jobs", "retries", "stall-timeout", "max-delete", "modify-window", "exclude", "include"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	return cmd
}
