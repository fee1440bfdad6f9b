package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd builds the hidden ferry man command, which writes ferry.1 and
// a page per subcommand (ferry-cp.1, ...) from root's definitions.
func newManCmd(root *cobra.Command, code *int, a *app) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:               "man [flags]",
		Short:             "write the man pages (ferry.1, ferry-cp.1, ...) to DIR",
		Hidden:            true,
		Args:              exactOperands(0),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			*code = writeManPages(root, dir, a)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "write the pages to this `directory` (created if missing)")
	return cmd
}

// writeManPages writes root's man pages into dir and returns the exit
// status. Each page is titled after its command (FERRY, FERRY-CP, ...).
func writeManPages(root *cobra.Command, dir string, a *app) int {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(a.stderr, "ferry man:", err)
		return exitFailed
	}
	header := &doc.GenManHeader{Section: "1", Source: "ferry " + root.Version, Manual: "ferry manual"}
	if err := doc.GenManTree(root, header, dir); err != nil {
		fmt.Fprintln(a.stderr, "ferry man:", err)
		return exitFailed
	}
	return exitOK
}
