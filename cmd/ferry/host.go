package main

import (
	"context"
	"fmt"
	"io"
)

// runOpen opens the UI against the destination in args.
func runOpen(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	_ = ctx
	_ = stdout
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	fmt.Fprintln(stderr, "ferry: opening hosts by alias arrives with ssh_config resolution; try `ferry demo`")
	return exitUsage
}
