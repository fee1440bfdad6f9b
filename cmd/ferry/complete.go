package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/text"
	"github.com/spf13/cobra"
)

// completionBudget bounds listing a remote directory for shell
// completion: past it, completion offers nothing rather than hang.
const completionBudget = 2 * time.Second

// completeHosts completes a HOST operand with the aliases of the ssh
// config that cf names (or ~/.ssh/config).
func (a *app) completeHosts(cf *connFlags) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return a.hostAliases(*cf, toComplete, ""), cobra.ShellCompDirectiveNoFileComp
	}
}

// completePaths completes a copy operand: HOST:PATH by listing over a
// connection, otherwise host aliases (as "HOST:") and local paths.
func (a *app) completePaths(cf *connFlags) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if config.IsRemote(toComplete) {
			return a.remotePaths(cmd.Context(), *cf, toComplete), cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
		}
		if strings.ContainsRune(toComplete, filepath.Separator) || strings.HasPrefix(toComplete, "~") {
			return nil, cobra.ShellCompDirectiveDefault // the shell completes local paths best
		}
		c := a.hostAliases(*cf, toComplete, ":")
		c = append(c, localPaths(toComplete)...)
		return c, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	}
}

// completeRemote completes an operand of a command on remote paths:
// HOST:PATH by listing over a connection, otherwise host aliases.
func (a *app) completeRemote(cf *connFlags) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if config.IsRemote(toComplete) {
			return a.remotePaths(cmd.Context(), *cf, toComplete), cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
		}
		return a.hostAliases(*cf, toComplete, ":"), cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	}
}

// completeConnFlags registers completions for the shared ssh flags' values.
func (a *app) completeConnFlags(root *cobra.Command, cf *connFlags) {
	none := cobra.NoFileCompletions
	_ = root.RegisterFlagCompletionFunc("option", none)
	_ = root.RegisterFlagCompletionFunc("port", none)
	_ = root.RegisterFlagCompletionFunc("jump", func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return a.hostAliases(*cf, toComplete, ""), cobra.ShellCompDirectiveNoFileComp
	})
}

// hostAliases returns the aliases of the ssh config that start with
// prefix, each followed by suffix. A config that cannot be read gives none.
func (a *app) hostAliases(cf connFlags, prefix, suffix string) []string {
	s, err := a.completionSession(cf)
	if err != nil {
		return nil
	}
	o := s.configOptions()
	o.SSHPath = "" // no ssh -G per alias while the user waits
	hosts, err := config.ListHosts(o)
	if err != nil {
		return nil
	}
	var out []string
	for _, h := range hosts {
		if strings.HasPrefix(h.Alias, prefix) && text.Sanitize(h.Alias) == h.Alias {
			out = append(out, h.Alias+suffix)
		}
	}
	return out
}

// localPaths lists the entries of the working directory that start with
// prefix; directories end in a slash.
func localPaths(prefix string) []string {
	entries, err := os.ReadDir(".")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(prefix, ".")) {
			continue
		}
		if e.IsDir() {
			name += string(filepath.Separator)
		}
		out = append(out, name)
	}
	return out
}

// completionSession is a session that never asks and never prints: BatchMode
// on, questions refused, warnings and debug output discarded.
func (a *app) completionSession(cf connFlags) (*session, error) {
	quiet := *a
	quiet.stderr = io.Discard
	quiet.prompter = remote.NoPrompter{}
	quiet.openTTY = nil
	cf.options = append(slices.Clone(cf.options), "BatchMode=yes")
	cf.verbose = false
	return quiet.newSession(cf)
}

// remotePaths lists the directory that arg (HOST:DIR/PREFIX) names over a
// connection, returning the entries that start with PREFIX as arg's
// completions (directories end in a slash). Any failure, or a listing
// that does not finish within completionBudget, gives nothing.
func (a *app) remotePaths(ctx context.Context, cf connFlags, arg string) []string {
	op, err := parseOperand(arg)
	if err != nil || !op.remote {
		return nil
	}
	dir, base := "", op.path
	if i := strings.LastIndex(op.path, "/"); i >= 0 {
		dir, base = op.path[:i+1], op.path[i+1:]
	}
	typed := arg[:len(arg)-len(base)]
	s, err := a.completionSession(cf)
	if err != nil {
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, completionBudget)
	defer cancel()
	found := make(chan []string, 1) // buffered: a late answer never blocks
	go func() {
		defer func() { s.close() }()
		found <- listRemote(ctx, s, op.dest, dir, base, typed)
	}()
	select {
	case names := <-found:
		return names
	case <-ctx.Done():
		return nil
	}
}

// listRemote connects to dest and lists dir (relative to the login
// directory unless absolute), returning typed+name for each entry that
// starts with base.
func listRemote(ctx context.Context, s *session, dest, dir, base, typed string) []string {
	sess, _, err := s.connect(ctx, dest)
	if err != nil {
		return nil
	}
	defer sess.Close()
	p, err := homeRelative(dir)
	if err != nil {
		return nil
	}
	if !strings.HasPrefix(p, "/") {
		home, err := sess.FS.Home(ctx)
		if err != nil {
			return nil
		}
		p = sess.FS.Join(home, p)
	}
	infos, err := sess.FS.ReadDir(ctx, p)
	if err != nil {
		return nil
	}
	var out []string
	for _, fi := range infos {
		name := fi.Name()
		if !strings.HasPrefix(name, base) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".")) ||
			text.Sanitize(name) != name || strings.Contains(name, "/") {
			continue
		}
		if fi.IsDir() {
			name += "/"
		}
		out = append(out, typed+name)
	}
	slices.Sort(out)
	return out
}
