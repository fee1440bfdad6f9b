package main

import (
	"context"
	"fmt"
	"os"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/demo"
)

// runDemo starts the embedded SFTP server on 127.0.0.1 and either opens
// the UI against it or, with --serve, prints an sftp command and waits.
func (a *app) runDemo(ctx context.Context, serve bool, args []string) int {
	stdout, stderr := a.stdout, a.stderr
	if len(args) > 1 {
		fmt.Fprintln(stderr, "ferry demo: too many operands: usage: ferry demo [--serve] [DIR]")
		return exitUsage
	}
	var dir string
	if len(args) == 1 {
		dir = args[0]
	}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "ferry-demo-*")
		if err != nil {
			fmt.Fprintln(stderr, "ferry demo:", err)
			return exitFailed
		}
		defer os.RemoveAll(tmp)
		if err := demo.Seed(tmp); err != nil {
			fmt.Fprintln(stderr, "ferry demo: seed sample tree:", err)
			return exitFailed
		}
		dir = tmp
	}
	srv, err := demo.Start(dir)
	if err != nil {
		fmt.Fprintln(stderr, "ferry demo:", err)
		return exitFailed
	}
	defer srv.Close()

	// The client key and known_hosts line live in a private directory that
	// is removed on exit.
	keys, err := os.MkdirTemp("", "ferry-demo-keys-*")
	if err != nil {
		fmt.Fprintln(stderr, "ferry demo:", err)
		return exitFailed
	}
	defer os.RemoveAll(keys)
	keyPath, khPath, err := srv.WriteClientFiles(keys)
	if err != nil {
		fmt.Fprintln(stderr, "ferry demo:", err)
		return exitFailed
	}

	if serve {
		fmt.Fprintf(stdout, "ferry demo: serving %s on %s (Ctrl-C to stop)\n", srv.Dir, srv.Addr)
		fmt.Fprintln(stdout, srv.SFTPCommand(keyPath, khPath))
		<-ctx.Done()
		return exitOK
	}
	host := config.Host{
		Alias:                 "demo",
		HostName:              "127.0.0.1",
		Port:                  srv.Port,
		User:                  demo.User,
		IdentityFiles:         []string{keyPath},
		IdentitiesOnly:        true,
		IdentityAgent:         "none",
		UserKnownHostsFiles:   []string{khPath},
		StrictHostKeyChecking: "yes",
		BatchMode:             true,
	}
	s, err := a.newSession(connFlags{})
	if err != nil {
		fmt.Fprintln(stderr, "ferry demo:", err)
		return exitFailed
	}
	defer func() { s.close() }() // s.close grows as sessions open
	return openTUI(ctx, s, &remote.Dialer{Prompter: remote.NoPrompter{}}, &host, true)
}
