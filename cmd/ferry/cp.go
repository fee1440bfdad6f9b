package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/journal"
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/spf13/pflag"
)

// cpFlags are ferry cp's own flags.
type cpFlags struct {
	recursive  bool
	workers    int
	noClobber  bool
	force      bool
	newer      bool
	resume     bool
	preserve   bool
	noPreserve bool
	retries    int
	stall      time.Duration
	noRanges   bool
	copyLinks  bool
	limit      int64 // --limit or the settings' limit, bytes per second
	fsync      string
}

// register adds cp's flags to fset: scp's and cp's short forms, each
// with a long name too.
func (f *cpFlags) register(fset *pflag.FlagSet) {
	fset.BoolVarP(&f.recursive, "recursive", "r", false, "copy directories recursively")
	fset.IntVarP(&f.workers, "jobs", "j", transfer.DefaultWorkers, "how many files to transfer at once")
	fset.BoolVarP(&f.noClobber, "no-clobber", "n", false, "skip files that already exist at the destination")
	fset.BoolVarP(&f.force, "force", "f", false, "overwrite existing files (safely: temp file, then rename)")
	fset.BoolVar(&f.newer, "newer", false, "overwrite existing files only when the source is newer")
	fset.BoolVar(&f.resume, "resume", false, "continue interrupted transfers from their partial files")
	fset.BoolVarP(&f.preserve, "preserve", "p", false, "preserve modification times and modes (the default)")
	fset.BoolVar(&f.noPreserve, "no-preserve", false, "do not preserve modification times and modes")
	fset.IntVar(&f.retries, "retries", transfer.DefaultRetries, "how often a file is tried again after the connection dropped or stalled (0: never)")
	fset.DurationVar(&f.stall, "stall-timeout", transfer.DefaultStallTimeout, "a file that moves no bytes for this `duration` counts as stalled and is tried again (0: never)")
	fset.BoolVar(&f.noRanges, "no-ranges", false, "send each large file as one stream, never in parallel ranges over several channels")
	fset.BoolVarP(&f.copyLinks, "copy-links", "L", false, "copy what symbolic links point to instead of the links (as scp -r and rsync -L)")
	fset.StringVar(&f.fsync, "fsync", "auto", "flush a file to stable storage before it takes its name, as `mode` says: auto (files that replace one, and moves), always or never")
}

// engineOptions are the transfer engine's options from the flags.
func (f *cpFlags) engineOptions() transfer.Options {
	o := transfer.Options{Workers: f.workers, Retries: f.retries, StallTimeout: f.stall, NoRanges: f.noRanges, Limit: f.limit}
	o.Fsync, _ = f.durability() // checked by policy
	if f.retries <= 0 {
		o.Retries = -1
	}
	if f.stall <= 0 {
		o.StallTimeout = -1
	}
	return o
}

// durability is the --fsync policy.
func (f *cpFlags) durability() (transfer.Fsync, error) {
	if f.fsync == "" {
		return transfer.FsyncAuto, nil
	}
	d, err := transfer.ParseFsync(f.fsync)
	if err != nil {
		return 0, usageErr("--fsync: %v", err)
	}
	return d, nil
}

// policy is the conflict policy the flags ask for; Ask when none.
func (f *cpFlags) policy() (transfer.Policy, error) {
	var chosen []string
	p := transfer.Ask
	for _, c := range []struct {
		on   bool
		name string
		p    transfer.Policy
	}{{f.noClobber, "-n", transfer.Skip}, {f.force, "-f", transfer.Overwrite}, {f.newer, "--newer", transfer.Newer}, {f.resume, "--resume", transfer.Resume}} {
		if c.on {
			chosen = append(chosen, c.name)
			p = c.p
		}
	}
	if len(chosen) > 1 {
		return 0, usageErr("%s cannot be combined", strings.Join(chosen, " and "))
	}
	if f.preserve && f.noPreserve {
		return 0, usageErr("-p and --no-preserve cannot be combined")
	}
	if _, err := f.durability(); err != nil {
		return 0, err
	}
	return p, nil
}

// operand is one command-line path, local or on a host.
type operand struct {
	remote bool
	dest   string // the destination to connect to ("" when local)
	key    string // identifies the host: user@host:port as typed
	path   string
}

// parseOperand splits scp's [user@]host:path (or sftp://...) from a
// local path.
func parseOperand(arg string) (operand, error) {
	if !config.IsRemote(arg) {
		return operand{path: arg}, nil
	}
	d, err := config.ParseDestination(arg)
	if err != nil {
		return operand{}, err
	}
	return operand{remote: true, dest: destOf(arg, d), key: fmt.Sprintf("%s@%s:%d", d.User, d.Host, d.Port), path: d.Path}, nil
}

// destOf returns what to connect to for arg, parsed as d: an sftp:// URL
// whole, otherwise [user@]host without ":PATH".
func destOf(arg string, d config.Dest) string {
	if strings.HasPrefix(arg, "sftp://") {
		return arg
	}
	return arg[:len(arg)-len(d.Path)-1]
}

// copyUse is the synopsis of copy command name (cp, mv, get or put).
func copyUse(name string) string {
	switch name {
	case "get":
		return "get [flags] HOST:PATH... [LOCAL]"
	case "put":
		return "put [flags] LOCAL... HOST:[PATH]"
	}
	return name + " [flags] SRC... DST"
}

// runCopy is ferry cp, get, put and mv: the same engine, four spellings.
// mv is cp with transfer.Request.Move: each source is removed once its
// copy is safely in place, and, as with mv, directories move without -r.
func (a *app) runCopy(ctx context.Context, name string, cf connFlags, f cpFlags, operands []string) int {
	policy, err := f.policy()
	if err == nil && name == "mv" && f.copyLinks {
		err = usageErr("-L cannot be used with mv: a move removes the links themselves")
	}
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry "+name+":", err)
		return exitUsage
	}
	ops := operands
	if name == "get" && len(ops) == 1 {
		ops = append(ops, ".")
	}
	if len(ops) < 2 {
		fmt.Fprintf(a.stderr, "ferry %s: missing operand: usage: ferry %s\n", name, copyUse(name))
		return exitUsage
	}
	srcs, dst, err := a.copyOperands(name, ops)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry "+name+":", errText(err))
		return exitUsage
	}
	s, err := a.newSession(cf)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry:", err)
		return exitFailed
	}
	defer func() { s.close() }() // s.close grows as sessions open

	srcFS, srcPaths, dstFS, dstPath, code := s.openSides(ctx, srcs, dst)
	if code != exitOK {
		return code
	}
	move := name == "mv"
	items, err := s.plan(ctx, srcFS, srcPaths, dstFS, dstPath, dst.path, f.recursive || move)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry "+name+":", errText(err))
		return exitFailed
	}
	eng := transfer.New(f.engineOptions())
	defer eng.Close()
	js := a.openJournal()
	b, err := eng.Submit(transfer.Request{Src: srcFS, Dst: dstFS, Items: items, Policy: policy, NoPreserve: f.noPreserve, Move: move, FollowLinks: f.copyLinks})
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry "+name+":", errText(err))
		return exitFailed
	}
	stop := s.journalFollow(js, b, journal.Batch{Command: name, Src: endpoint(srcs[0], cf), Dst: endpoint(dst, cf)})
	defer stop()
	return s.follow(ctx, eng, b, name, dstFS)
}

// copyOperands checks the operands: every source on one side, and the
// destination last. get takes remote sources and a local destination; put
// the opposite; cp and mv anything.
func (a *app) copyOperands(name string, ops []string) ([]operand, operand, error) {
	var srcs []operand
	for _, o := range ops[:len(ops)-1] {
		op, err := parseOperand(o)
		if err != nil {
			return nil, operand{}, err
		}
		if len(srcs) > 0 && (op.remote != srcs[0].remote || op.key != srcs[0].key) {
			return nil, operand{}, usageErr("all sources must be on one host (or all local)")
		}
		srcs = append(srcs, op)
	}
	dst, err := parseOperand(ops[len(ops)-1])
	if err != nil {
		return nil, operand{}, err
	}
	switch {
	case name == "get" && (!srcs[0].remote || dst.remote):
		return nil, operand{}, usageErr("get copies HOST:PATH... to a local directory")
	case name == "put" && (srcs[0].remote || !dst.remote):
		return nil, operand{}, usageErr("put copies local files to HOST:[PATH]")
	}
	return srcs, dst, nil
}

// openSides connects the hosts the operands name (each once) and makes
// every path absolute on its file system. Operands on one host, or both
// local, share one file system value, so that mv renames within it.
func (s *session) openSides(ctx context.Context, srcs []operand, dst operand) (transfer.FS, []string, transfer.FS, string, int) {
	conns := map[string]transfer.FS{}
	localFS := local.New()
	side := func(op operand) (transfer.FS, string, error) {
		if !op.remote {
			abs, err := filepath.Abs(op.path)
			return localFS, abs, err
		}
		fsys, ok := conns[op.key]
		if !ok {
			sess, _, err := s.connect(ctx, op.dest)
			if err != nil {
				return nil, "", err
			}
			prev := s.close
			s.close = func() { sess.Close(); prev() }
			fsys = sess.FS
			conns[op.key] = fsys
		}
		p, err := homeRelative(op.path)
		if err != nil {
			return nil, "", err
		}
		if !strings.HasPrefix(p, "/") {
			home, err := fsys.Home(ctx)
			if err != nil {
				return nil, "", err
			}
			p = fsys.Join(home, p)
		}
		return fsys, p, nil
	}
	var srcFS transfer.FS
	var paths []string
	for _, op := range srcs {
		fsys, p, err := side(op)
		if err != nil {
			return nil, nil, nil, "", s.failConnect(err)
		}
		srcFS = fsys
		paths = append(paths, p)
	}
	dstFS, dstPath, err := side(dst)
	if err != nil {
		return nil, nil, nil, "", s.failConnect(err)
	}
	return srcFS, paths, dstFS, dstPath, exitOK
}

// failConnect reports a resolution or connection failure: exit 255.
func (s *session) failConnect(err error) int {
	fmt.Fprintln(s.stderr, "ferry:", errText(err))
	return exitConnFail
}

// plan maps sources to destinations as cp does, refusing directories
// without -r before anything is copied.
func (s *session) plan(ctx context.Context, src transfer.FS, paths []string, dst transfer.FS, dstPath, typed string, recursive bool) ([]transfer.Item, error) {
	items, err := transfer.Targets(ctx, src, paths, dst, dstPath, typed)
	if err != nil || recursive {
		return items, err
	}
	for _, p := range paths {
		fi, err := src.Stat(ctx, p)
		if err != nil {
			return nil, err
		}
		if fi.IsDir() {
			return nil, &fs.PathError{Op: "copy", Path: p, Err: errors.New("is a directory (use -r)")}
		}
	}
	return items, nil
}

// homeRelative turns scp's "~" and "~/x" into paths relative to the login
// directory ("" and "x"); "~user/x" is refused, since SFTP has no portable
// way to find another user's home.
func homeRelative(p string) (string, error) {
	switch {
	case p == "~":
		return "", nil
	case strings.HasPrefix(p, "~/"):
		return p[2:], nil
	case strings.HasPrefix(p, "~"):
		return "", usageErr("%q: ~user paths are not supported; give the full path", p)
	}
	return p, nil
}
