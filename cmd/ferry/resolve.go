package main

import (
	"context"
	"flag"
	"fmt"
)

// runResolve prints what ferry resolved for a destination, in ssh -G's
// form: `keyword value`, lowercase, one line per value.
func (a *app) runResolve(_ context.Context, args []string) int {
	var cf connFlags
	fset := newFlagSet("resolve", "[flags] DEST", a.stderr)
	cf.register(fset)
	if err := fset.Parse(args); err != nil || fset.NArg() != 1 {
		fset.Usage()
		return exitUsage
	}
	s, err := a.newSession(cf)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry:", err)
		return exitFailed
	}
	defer func() { s.close() }() // s.close grows as sessions open
	h, err := s.resolve(fset.Arg(0))
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry resolve:", errText(err))
		return exitConnFail
	}
	if err := h.WriteG(a.stdout); err != nil {
		fmt.Fprintln(a.stderr, "ferry resolve:", err)
		return exitFailed
	}
	return exitOK
}

// newFlagSet makes a flag set for "ferry NAME" that reports its own usage
// on stderr and never exits the process.
func newFlagSet(name, synopsis string, stderr interface{ Write([]byte) (int, error) }) *flag.FlagSet {
	fset := flag.NewFlagSet("ferry "+name, flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "usage: ferry %s %s\n", name, synopsis)
		fset.PrintDefaults()
	}
	return fset
}
