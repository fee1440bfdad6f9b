package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
)

// remoteOp is one headless command on remote paths.
type remoteOp struct {
	name     string
	synopsis string
	short    string // one line for the help
	minArgs  int
	maxArgs  int    // -1 for no limit
	boolFlag string // the short form of the command's one flag, or ""
	boolLong string // its long name
	boolHelp string
	lead     int // operands before the paths (chmod's MODE, chown's OWNER)
	run      func(ctx context.Context, o *opRun) error
}

// opRun is one invocation: the connected host and the operands' paths.
type opRun struct {
	*app
	fs    *remote.FS
	host  config.Host
	paths []string
	flag  bool
	lead  []string // the operands before the paths
}

// remoteOps are the headless commands that act on one host.
var remoteOps = map[string]remoteOp{
	"ls": {name: "ls", short: "list a remote directory", synopsis: "[flags] [-l] DEST:[PATH]", minArgs: 1, maxArgs: 1,
		boolFlag: "l", boolLong: "long", boolHelp: "long listing: mode, size, time, name", run: opLs},
	"mkdir": {name: "mkdir", short: "make remote directories", synopsis: "[flags] [-p] DEST:PATH...", minArgs: 1, maxArgs: -1,
		boolFlag: "p", boolLong: "parents", boolHelp: "make parent directories as needed; no error if it exists", run: opMkdir},
	"rmdir": {name: "rmdir", short: "remove empty remote directories", synopsis: "[flags] DEST:PATH...", minArgs: 1, maxArgs: -1, run: opRmdir},
	"rm": {name: "rm", short: "remove remote files (and with -r, directories)", synopsis: "[flags] [-r] DEST:PATH...", minArgs: 1, maxArgs: -1,
		boolFlag: "r", boolLong: "recursive", boolHelp: "remove directories and their contents recursively", run: opRm},
	"rename": {name: "rename", short: "rename a remote file or directory on one host", synopsis: "[flags] DEST:OLD NEW", minArgs: 2, maxArgs: 2, run: opRename},
	"chmod": {name: "chmod", short: "change the mode of remote files (octal, or symbolic like u+x,go-w)", synopsis: "[flags] [-R] MODE DEST:PATH...", minArgs: 2, maxArgs: -1, lead: 1,
		boolFlag: "R", boolLong: "recursive", boolHelp: "change directories and their contents recursively", run: opChmod},
	"chown": {name: "chown", short: "change the owner and group of remote files (ids, or names the server lists)", synopsis: "[flags] [-R] USER[:GROUP]|:GROUP DEST:PATH...", minArgs: 2, maxArgs: -1, lead: 1,
		boolFlag: "R", boolLong: "recursive", boolHelp: "change directories and their contents recursively", run: opChown},
	"ln": {name: "ln", short: "make a symbolic link on a remote host", synopsis: "[flags] -s DEST:TARGET LINK", minArgs: 2, maxArgs: 2,
		boolFlag: "s", boolLong: "symbolic", boolHelp: "make a symbolic link (required: SFTP makes no hard links)", run: opLn},
	"touch": {name: "touch", short: "create empty remote files, or set their times to now", synopsis: "[flags] DEST:PATH...", minArgs: 1, maxArgs: -1, run: opTouch},
	"du":    {name: "du", short: "print the total size of the files at and below remote paths, in bytes", synopsis: "[flags] DEST:PATH...", minArgs: 1, maxArgs: -1, run: opDu},
}

// runRemoteOp checks the operands, connects once, and runs op; b is the
// command's one flag.
func (a *app) runRemoteOp(ctx context.Context, op remoteOp, cf connFlags, b bool, operands []string) int {
	if len(operands) < op.minArgs || (op.maxArgs >= 0 && len(operands) > op.maxArgs) {
		fmt.Fprintf(a.stderr, "ferry %s: wrong number of operands: usage: ferry %s %s\n", op.name, op.name, op.synopsis)
		return exitUsage
	}
	lead := operands[:op.lead]
	dest, paths, err := splitOperands(op.name, operands[op.lead:])
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry:", errText(err))
		return exitUsage
	}
	s, err := a.newSession(cf)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry:", err)
		return exitFailed
	}
	defer func() { s.close() }() // s.close grows as sessions open
	sess, h, err := s.connect(ctx, dest)
	if err != nil {
		// Resolution and connection failures both exit 255, as ssh does.
		fmt.Fprintln(a.stderr, "ferry:", errText(err))
		return exitConnFail
	}
	defer sess.Close()
	err = op.run(ctx, &opRun{app: a, fs: sess.FS, host: h, paths: paths, flag: b, lead: lead})
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry "+op.name+":", errText(err))
		return exitFailed
	}
	return exitOK
}

// splitOperands checks that every operand names the same host and returns
// that destination and the paths. The first operand must be DEST:PATH;
// later ones may be DEST:PATH on the same host or a bare path on it.
func splitOperands(cmd string, operands []string) (string, []string, error) {
	if !config.IsRemote(operands[0]) {
		return "", nil, usageErr("%s: %q is not remote; write HOST:PATH (HOST: for the login directory)", cmd, operands[0])
	}
	first, err := config.ParseDestination(operands[0])
	if err != nil {
		return "", nil, err
	}
	dest := destOf(operands[0], first)
	paths := []string{orDot(first.Path)}
	for _, o := range operands[1:] {
		if !config.IsRemote(o) {
			paths = append(paths, orDot(o))
			continue
		}
		d, err := config.ParseDestination(o)
		if err != nil {
			return "", nil, err
		}
		if d.Host != first.Host || d.User != first.User || d.Port != first.Port {
			return "", nil, usageErr("%s: all operands must be on one host (%s and %s)", cmd, first.Host, d.Host)
		}
		paths = append(paths, orDot(d.Path))
	}
	return dest, paths, nil
}

func orDot(p string) string {
	if p == "" {
		return "."
	}
	return p
}

func opLs(ctx context.Context, o *opRun) error {
	p := o.paths[0]
	fi, err := o.fs.Stat(ctx, p)
	if err != nil {
		return err
	}
	var entries []fs.FileInfo
	if fi.IsDir() {
		entries, err = o.fs.ReadDir(ctx, p)
		if err != nil {
			return err
		}
	} else {
		entries = []fs.FileInfo{fi}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		name := text.Sanitize(e.Name())
		if e.IsDir() {
			name += "/"
		}
		if o.flag {
			fmt.Fprintf(o.stdout, "%s %12d %s %s\n", e.Mode().String(), e.Size(), e.ModTime().Format(time.DateTime), name)
		} else {
			fmt.Fprintln(o.stdout, name)
		}
	}
	return nil
}

func opMkdir(ctx context.Context, o *opRun) error {
	for _, p := range o.paths {
		var err error
		if o.flag {
			err = transfer.MkdirAll(ctx, o.fs, p, 0o755)
		} else {
			err = o.fs.Mkdir(ctx, p, 0o755)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func opRmdir(ctx context.Context, o *opRun) error {
	for _, p := range o.paths {
		fi, err := o.fs.Lstat(ctx, p)
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			return &fs.PathError{Op: "rmdir", Path: p, Err: errors.New("not a directory")}
		}
		if err := o.fs.Remove(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func opRm(ctx context.Context, o *opRun) error {
	for _, p := range o.paths {
		fi, err := o.fs.Lstat(ctx, p)
		if err != nil {
			return err
		}
		if fi.IsDir() && !o.flag {
			return &fs.PathError{Op: "rm", Path: p, Err: errors.New("is a directory (use -r to remove it and its contents)")}
		}
		if err := transfer.RemoveAll(ctx, o.fs, p, nil); err != nil {
			return err
		}
	}
	return nil
}

func opRename(ctx context.Context, o *opRun) error {
	return transfer.RenameNoReplace(ctx, o.fs, o.paths[0], o.paths[1])
}
