package main

import (
	"context"
	"fmt"
)

// runOpen opens the UI against the destination in args: none, to pick a
// host, or one.
func (a *app) runOpen(ctx context.Context, cf connFlags, lf rateFlag, args []string) int {
	if len(args) > 1 {
		fmt.Fprintln(a.stderr, "ferry: too many operands: usage: ferry [flags] [HOST]")
		return exitUsage
	}
	if a.uiTerminal != nil && !a.uiTerminal() {
		fmt.Fprintln(a.stderr, "ferry: the dual-pane UI needs a terminal on standard input and output; in scripts use the headless commands: ferry cp, get, put, ls, mkdir, rmdir, rm, rename (ferry help)")
		return exitFailed
	}
	limit, err := lf.rate()
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry:", err)
		return exitUsage
	}
	s, err := a.newUISession(cf)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry:", err)
		return exitFailed
	}
	s.limit = limit
	defer func() { s.close() }() // s.close grows as sessions open
	if len(args) == 0 {
		return openTUI(ctx, s, nil, nil, false)
	}
	h, err := s.resolve(args[0])
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry:", errText(err))
		return exitConnFail
	}
	return openTUI(ctx, s, s.dialer(), &h, false)
}
