package main

import (
	"fmt"
	"path/filepath"

	"github.com/ferry-tui/ferry/journal"
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
)

// openJournal opens the transfer journal in the state directory. A
// journal that cannot be used costs only the ability to resume later: it
// is reported on stderr and nil returned; an unreadable one set aside is
// reported and replaced.
func (a *app) openJournal() *journal.Store {
	dir := a.stateDir()
	if dir == "" {
		return nil
	}
	s, err := journal.Open(dir)
	if err != nil {
		fmt.Fprintln(a.stderr, "ferry: warning:", text.Sanitize(err.Error()))
	}
	return s
}

// endpoint describes how to reach op's side again, for the journal: the
// host as typed and the connection flags, with file names made absolute
// so that a resume from another directory finds them.
func endpoint(op operand, cf connFlags) journal.Endpoint {
	if !op.remote {
		return journal.Endpoint{}
	}
	abs := func(p string) string {
		if p == "" {
			return ""
		}
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	e := journal.Endpoint{Host: op.dest, Port: cf.port, ConfigFile: abs(cf.configFile), Jump: cf.jump}
	e.Options = append(e.Options, cf.options...)
	for _, id := range cf.identities {
		e.Identities = append(e.Identities, abs(id))
	}
	return e
}

// connFlagsOf gives back the connection flags an endpoint was reached with.
func connFlagsOf(e journal.Endpoint, verbose bool) connFlags {
	return connFlags{configFile: e.ConfigFile, options: e.Options, identities: e.Identities, jump: e.Jump, port: e.Port, verbose: verbose}
}

// journalFollow records batch b in the journal (nil: none) while it runs;
// the returned stop ends the recording and, when the batch is left
// unfinished, says how to continue it.
func (s *session) journalFollow(js *journal.Store, b *transfer.Batch, how journal.Batch) (stop func()) {
	if js == nil {
		return func() {}
	}
	rec, err := js.Follow(b, how)
	if err != nil {
		fmt.Fprintln(s.stderr, "ferry: warning: the transfer is not journalled:", text.Sanitize(err.Error()))
		return func() {}
	}
	return func() {
		err := rec.Stop()
		if err != nil {
			fmt.Fprintln(s.stderr, "ferry: warning: journal:", text.Sanitize(err.Error()))
		}
		sum := b.Summary()
		if err == nil && (!sum.Finished || len(sum.Failed) > 0 || sum.States[transfer.Cancelled] > 0) {
			fmt.Fprintf(s.stderr, "ferry %s: what is left is in the queue: ferry queue resume %s continues it\n", how.Command, rec.ID())
		}
	}
}
