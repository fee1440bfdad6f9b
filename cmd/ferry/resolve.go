package main

import (
	"context"
	"fmt"
)

// runResolve prints what ferry resolved for a destination, in ssh -G's
// form: `keyword value`, lowercase, one line per value.
func (a *app) runResolve(_ context.Context, cf connFlags, dest string) int {
	s, err := a.newSession(cf)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry:", err)
		return exitFailed
	}
	defer func() { s.close() }() // s.close grows as sessions open
	h, err := s.resolve(dest)
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
