// Command ferry is a dual-pane file manager for SFTP in the terminal.
//
// Usage:
//
//	ferry [flags] [HOST]       open HOST (an ssh_config alias, user@host[:path] or sftp://...)
//	ferry open [flags] [HOST]  the same, for a host named like a subcommand
//	ferry demo [--serve] [DIR] try ferry against an embedded SFTP server
//	ferry cp|get|put|mv ...    copy or move files headless, scp-like
//	ferry resolve DEST         print the resolved settings, like ssh -G
//	ferry ls|mkdir|rmdir|rm|rename ...   headless file operations
//	ferry version              print the version (also ferry -V)
//	ferry completion SHELL     print a completion script for bash, zsh or fish
//	ferry help [COMMAND]       print the help of ferry or of a command
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ferry-tui/ferry/text"
	"github.com/spf13/cobra"
)

// Exit statuses, as ssh and scp use them.
const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitConnFail = 255
)

func main() {
	ctx, stop := interruptContext()
	code := run(ctx, newApp(os.Stdout, os.Stderr), os.Args[1:])
	stop()
	os.Exit(code)
}

// run parses a command line, runs the command it names and returns the
// exit status. Mistakes on the command line are reported in one line
// first, then a pointer to the help, with exit status 2.
func run(ctx context.Context, a *app, args []string) int {
	code := exitOK
	root := newRootCmd(a, &code)
	if args == nil {
		args = []string{} // cobra reads os.Args for a nil slice
	}
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil {
		reportUsage(a.stderr, cmd, withDashHint(cmd, args, err))
		return exitUsage
	}
	return code
}

// withDashHint adds a hint to a flag error when an argument is a long flag
// of cmd written with one dash (-newer for --newer), as Go's flag package
// accepted: pflag reads it as a cluster of short flags.
func withDashHint(cmd *cobra.Command, args []string, err error) error {
	if cmd == nil {
		return err
	}
	for _, arg := range args {
		if arg == "--" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(arg, "-"), "=")
		if len(name) > 1 && arg[0] == '-' && arg[1] != '-' && cmd.Flags().Lookup(name) != nil {
			first, rest, _ := strings.Cut(err.Error(), "\n")
			return fmt.Errorf("%s (long flags take two dashes: --%s)\n%s", first, name, rest)
		}
	}
	return err
}

// reportUsage prints a command-line mistake: what was wrong on one line,
// any suggestion, and where to read more.
func reportUsage(w io.Writer, cmd *cobra.Command, err error) {
	path := "ferry"
	if cmd != nil {
		path = cmd.CommandPath()
	}
	lines := strings.Split(strings.TrimSpace(err.Error()), "\n")
	fmt.Fprintf(w, "%s: %s\n", path, text.Sanitize(lines[0]))
	for _, l := range lines[1:] {
		if l = strings.TrimSpace(l); l != "" {
			fmt.Fprintln(w, "  "+text.Sanitize(l))
		}
	}
	fmt.Fprintf(w, "Run '%s --help' for usage.\n", path)
}
