// Command ferry is a dual-pane file manager for SFTP in the terminal.
//
// Usage:
//
//	ferry [flags] [HOST]       open HOST (an ssh_config alias, user@host[:path] or sftp://...)
//	ferry demo [--serve] [DIR] try ferry against an embedded SFTP server
//	ferry cp|get|put|mv ...    copy or move files headless, scp-like
//	ferry resolve DEST         print the resolved settings, like ssh -G
//	ferry ls|mkdir|rmdir|rm|rename ...   headless file operations
//	ferry version              print the version
package main

import (
	"context"
	"fmt"
	"os"
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

// run dispatches a command line and returns the exit status.
func run(ctx context.Context, a *app, args []string) int {
	stdout := a.stdout
	if len(args) > 0 {
		if op, ok := remoteOps[args[0]]; ok {
			return a.runRemoteOp(ctx, op, args[1:])
		}
		switch args[0] {
		case "cp", "get", "put", "mv":
			return a.runCopy(ctx, args[0], args[1:])
		case "resolve":
			return a.runResolve(ctx, args[1:])
		case "version", "--version":
			fmt.Fprintln(stdout, "ferry", version())
			return exitOK
		case "demo":
			return a.runDemo(ctx, args[1:])
		case "help", "-h", "--help":
			fmt.Fprint(stdout, usage)
			return exitOK
		}
	}
	return a.runOpen(ctx, args)
}

const usage = `ferry: a dual-pane file manager for SFTP

Usage:
  ferry [flags] [HOST]         open HOST: an alias from ~/.ssh/config,
                               user@host[:path] or sftp://[user@]host[:port][/path];
                               without HOST, pick one from ~/.ssh/config
  ferry demo [DIR]             try ferry against an embedded SFTP server on 127.0.0.1
  ferry demo --serve [DIR]     run only the demo server and print an sftp command for it
  ferry cp [-r] [-j N] [-n|-f|--newer|--resume] [--no-preserve] SRC... DST
                               copy files, scp-like: each operand local or HOST:PATH
  ferry get HOST:PATH... [LOCAL]   ferry put LOCAL... HOST:[PATH]
  ferry mv [-j N] [-n|-f|--newer|--resume] [--no-preserve] SRC... DST
                               move files and directories, like cp then removing each
                               source once its copy is safely in place
  ferry resolve [flags] DEST   print the resolved settings, like ssh -G
  ferry ls [-l] DEST:[PATH]    list a remote directory
  ferry mkdir [-p] DEST:PATH...
  ferry rmdir DEST:PATH...
  ferry rm [-r] DEST:PATH...
  ferry rename DEST:OLD NEW
  ferry version                print the version

Flags shared by every command that connects, as in ssh and scp:
  -F file   ssh config file     -o Key=Value   ssh option (repeatable)
  -i file   identity file       -J jumps       ProxyJump
  -P port   remote port         -v             debug output (never secrets)

Existing files are never overwritten silently: cp and mv ask on the terminal,
or without one refuse the file, unless -f, -n, --newer or --resume says what to do.
mv never removes a source whose copy failed, was skipped or changed meanwhile.

Exit status: 0 success, 1 an operation (or any file) failed, 2 usage error,
255 connection or authentication failed.

Keys: arrows or j/k move, Enter opens, Backspace goes up, Tab switches pane, q quits.
`
