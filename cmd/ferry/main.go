// Command ferry is a dual-pane file manager for SFTP in the terminal.
//
// Usage:
//
//	ferry [flags] [HOST]       open HOST (an ssh_config alias, user@host[:path] or sftp://...)
//	ferry demo [--serve] [DIR] try ferry against an embedded SFTP server
//	ferry version              print the version
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses, as ssh and scp use them.
const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitConnFail = 255
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches a command line and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "version", "--version":
			fmt.Fprintln(stdout, "ferry", version())
			return exitOK
		case "demo":
			return runDemo(ctx, args[1:], stdout, stderr)
		case "help", "-h", "--help":
			fmt.Fprint(stdout, usage)
			return exitOK
		}
	}
	return runOpen(ctx, args, stdout, stderr)
}

const usage = `ferry: a dual-pane file manager for SFTP

Usage:
  ferry [flags] [HOST]         open HOST: an alias from ~/.ssh/config,
                               user@host[:path] or sftp://[user@]host[:port][/path]
  ferry demo [DIR]             try ferry against an embedded SFTP server on 127.0.0.1
  ferry demo --serve [DIR]     run only the demo server and print an sftp command for it
  ferry version                print the version

Keys: arrows or j/k move, Enter opens, Backspace goes up, Tab switches pane, q quits.
`
