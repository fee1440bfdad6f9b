package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The command line is one cobra tree: help, shell completion and the man
// pages all come from these definitions.

const rootLong = `ferry: a dual-pane file manager for SFTP.

ferry HOST opens the local directory on the left and HOST on the right. HOST is
an alias from ~/.ssh/config, [user@]host[:path] or sftp://[user@]host[:port][/path];
without HOST, pick one from ~/.ssh/config. A host named like a subcommand opens
with "ferry open NAME" or "ferry -- NAME".

The ssh flags (-F -o -i -J -P -v) go before or after the subcommand.

Existing files are never overwritten silently: cp and mv ask on the terminal,
or without one refuse the file, unless -f, -n, --newer or --resume says what to do.
mv never removes a source whose copy failed, was skipped or changed meanwhile.

Exit status: 0 success, 1 an operation (or any file) failed, 2 usage error,
255 connection or authentication failed.

Keys: arrows or j/k move, Enter opens, Backspace goes up, Tab switches pane, q quits.`

// newRootCmd builds ferry's command tree for a; each command's exit status
// goes to *code.
func newRootCmd(a *app, code *int) *cobra.Command {
	var cf connFlags
	var showVersion bool
	var limit string // --limit of the UI
	root := &cobra.Command{
		Use:                        "ferry [flags] [HOST]",
		Short:                      "a dual-pane file manager for SFTP",
		Long:                       rootLong,
		Version:                    version(),
		Args:                       rootArgs,
		ValidArgsFunction:          a.completeHosts(&cf),
		SilenceErrors:              true,
		SilenceUsage:               true,
		DisableAutoGenTag:          true,
		SuggestionsMinimumDistance: 2,
		RunE: func(cmd *cobra.Command, args []string) error {
			*code = a.runOpen(cmd.Context(), cf, limitOf(cmd, limit), args)
			return nil
		},
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetVersionTemplate("ferry {{.Version}}\n")
	root.Flags().BoolVarP(&showVersion, "version", "V", false, "print the version")
	registerLimit(root.Flags(), &limit)
	root.Flags().SortFlags = false
	root.PersistentFlags().SortFlags = false
	cf.register(root.PersistentFlags())
	a.completeConnFlags(root, &cf)

	open := &cobra.Command{
		Use:   "open [flags] [HOST]",
		Short: "open HOST in the dual-pane UI (the default command)",
		Long: `Open HOST in the dual-pane UI, as "ferry HOST" does; without HOST, pick one
from ~/.ssh/config. Use it for a host named like a subcommand: ferry open cp.`,
		Args:              rangeOperands(0, 1),
		ValidArgsFunction: a.completeHosts(&cf),
		RunE: func(cmd *cobra.Command, args []string) error {
			*code = a.runOpen(cmd.Context(), cf, limitOf(cmd, limit), args)
			return nil
		},
	}
	registerLimit(open.Flags(), &limit)
	root.AddCommand(open)
	for _, name := range []string{"cp", "get", "put", "mv"} {
		root.AddCommand(a.newCopyCmd(name, &cf, code))
	}
	root.AddCommand(a.newSyncCmd(&cf, code))
	for _, name := range []string{"ls", "mkdir", "rmdir", "rm", "rename", "chmod", "chown", "ln", "touch", "du"} {
		root.AddCommand(a.newRemoteOpCmd(remoteOps[name], &cf, code))
	}
	root.AddCommand(&cobra.Command{
		Use:   "resolve [flags] DEST",
		Short: "print the resolved settings, like ssh -G",
		Long: `Print what ferry resolved for DEST from the ssh config and the flags, in ssh -G's
form: one "keyword value" per line.`,
		Args:              exactOperands(1),
		ValidArgsFunction: a.completeHosts(&cf),
		RunE: func(cmd *cobra.Command, args []string) error {
			*code = a.runResolve(cmd.Context(), cf, args[0])
			return nil
		},
	})
	root.AddCommand(a.newQueueCmd(&cf, code))
	root.AddCommand(a.newConfigCmd(code))
	root.AddCommand(a.newDemoCmd(code))
	root.AddCommand(&cobra.Command{
		Use:               "version",
		Short:             "print the version",
		Args:              exactOperands(0),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintln(a.stdout, "ferry", version())
			return nil
		},
	})
	root.AddCommand(newManCmd(root, code, a))
	// cobra's completion command, made now so that a missing or unknown
	// SHELL is a usage error rather than its help with exit 0.
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		c.RunE = func(*cobra.Command, []string) error {
			return errors.New("missing SHELL: bash, zsh, fish or powershell")
		}
	}
	return root
}

// newCopyCmd builds ferry cp, get, put or mv.
func (a *app) newCopyCmd(name string, cf *connFlags, code *int) *cobra.Command {
	var f cpFlags
	var limit string
	short := map[string]string{
		"cp":  "copy files, scp-like: each operand local or HOST:PATH",
		"get": "copy HOST:PATH... to a local directory (default: .)",
		"put": "copy local files to HOST:[PATH]",
		"mv":  "move files and directories: copy, then remove each source once its copy is in place",
	}[name]
	minOps := 2
	if name == "get" {
		minOps = 1
	}
	cmd := &cobra.Command{
		Use:   copyUse(name),
		Short: short,
		Long: sentence(short) + `

Existing files are never overwritten silently: without -f, -n, --newer or
--resume, ferry asks on the terminal, or without one refuses the file.`,
		Args:              minOperands(minOps),
		ValidArgsFunction: a.completePaths(cf),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.copyDefaults(cmd.Flags(), &f, limit); err != nil {
				fmt.Fprintln(a.stderr, "ferry "+name+":", err)
				*code = exitFailed
				if errors.Is(err, errUsage) {
					*code = exitUsage
				}
				return nil
			}
			*code = a.runCopy(cmd.Context(), name, *cf, f, args)
			return nil
		},
	}
	if name == "mv" {
		cmd.Long += "\nmv never removes a source whose copy failed, was skipped or changed meanwhile;\ndirectories move without -r."
	}
	cmd.Flags().SortFlags = false
	f.register(cmd.Flags())
	registerLimit(cmd.Flags(), &limit)
	_ = cmd.RegisterFlagCompletionFunc("jobs", cobra.NoFileCompletions)
	_ = cmd.RegisterFlagCompletionFunc("retries", cobra.NoFileCompletions)
	_ = cmd.RegisterFlagCompletionFunc("stall-timeout", cobra.NoFileCompletions)
	return cmd
}

// newRemoteOpCmd builds one of the headless commands on remote paths.
func (a *app) newRemoteOpCmd(op remoteOp, cf *connFlags, code *int) *cobra.Command {
	var b bool
	cmd := &cobra.Command{
		Use:               op.name + " " + op.synopsis,
		Short:             op.short,
		Long:              sentence(op.short),
		Args:              rangeOperands(op.minArgs, op.maxArgs),
		ValidArgsFunction: a.completeRemote(cf),
		RunE: func(cmd *cobra.Command, args []string) error {
			*code = a.runRemoteOp(cmd.Context(), op, *cf, b, args)
			return nil
		},
	}
	if op.boolFlag != "" {
		cmd.Flags().BoolVarP(&b, op.boolLong, op.boolFlag, false, op.boolHelp)
	}
	return cmd
}

// newDemoCmd builds ferry demo.
func (a *app) newDemoCmd(code *int) *cobra.Command {
	var serve bool
	cmd := &cobra.Command{
		Use:   "demo [flags] [DIR]",
		Short: "try ferry against an embedded SFTP server on 127.0.0.1",
		Long: `Try ferry against an embedded SFTP server on 127.0.0.1 that serves DIR as /
(default: a temporary sample tree). With --serve, run only the server and print
an sftp command for it. The ssh flags are ignored.`,
		Args: rangeOperands(0, 1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			*code = a.runDemo(cmd.Context(), serve, args)
			return nil
		},
	}
	cmd.Flags().BoolVar(&serve, "serve", false, "run only the server and print an sftp command for it")
	return cmd
}

// registerLimit adds --limit to fset.
func registerLimit(fset *pflag.FlagSet, v *string) {
	fset.StringVar(v, "limit", "", "bandwidth limit for all transfers together, bytes per second: `RATE` such as 10M or 500K (K, M, G: 1024s; 0: none)")
}

// limitOf is the --limit the command was given, "" for none.
func limitOf(cmd *cobra.Command, v string) rateFlag {
	return rateFlag{set: cmd.Flags().Changed("limit"), value: v}
}

// rootArgs accepts at most one HOST; more operands mean the first was
// meant as a subcommand, so it is reported as an unknown one.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) <= 1 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "\nDid you mean " + strings.Join(s, " or ") + "?"
	}
	return errors.New(msg)
}

// rangeOperands accepts between min and max operands (max < 0: no limit).
func rangeOperands(minOps, maxOps int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < minOps || (maxOps >= 0 && len(args) > maxOps) {
			word := "missing operand"
			if len(args) > minOps {
				word = "too many operands"
			}
			return fmt.Errorf("%s: usage: %s", word, cmd.UseLine())
		}
		return nil
	}
}

// minOperands accepts n operands or more.
func minOperands(n int) cobra.PositionalArgs { return rangeOperands(n, -1) }

// exactOperands accepts exactly n operands.
func exactOperands(n int) cobra.PositionalArgs { return rangeOperands(n, n) }

// sentence makes a command's one-line summary a sentence for its help.
func sentence(short string) string {
	return strings.ToUpper(short[:1]) + short[1:] + "."
}
