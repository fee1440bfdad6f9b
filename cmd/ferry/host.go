package main

import (
	"context"
	"fmt"
)

// runOpen opens the UI against the destination in args.
func (a *app) runOpen(ctx context.Context, args []string) int {
	var cf connFlags
	fset := newFlagSet("", "[flags] HOST", a.stderr)
	cf.register(fset)
	if err := fset.Parse(args); err != nil {
		return exitUsage
	}
	if fset.NArg() > 1 {
		fmt.Fprint(a.stderr, usage)
		return exitUsage
	}
	if a.uiTerminal != nil && !a.uiTerminal() {
		fmt.Fprintln(a.stderr, "ferry: the dual-pane UI needs a terminal on standard input and output; in scripts use the headless commands: ferry cp, get, put, ls, mkdir, rmdir, rm, rename (ferry help)")
		return exitFailed
	}
	s, err := a.newUISession(cf)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry:", err)
		return exitFailed
	}
	defer func() { s.close() }() // s.close grows as sessions open
	if fset.NArg() == 0 {
		return openTUI(ctx, s, nil, nil)
	}
	h, err := s.resolve(fset.Arg(0))
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry:", errText(err))
		return exitConnFail
	}
	return openTUI(ctx, s, s.dialer(), &h)
}
