package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// builtBinary is the ferry binary the end-to-end tests run. TestMain
// starts building it before the first test, in the background, so that
// the tests that need no binary run meanwhile; it is built once per test
// binary run and removed when every test has run.
type builtBinary struct {
	done chan struct{} // closed when the build has ended
	dir  string        // the private directory holding the binary
	path string
	err  error
}

// buildFerry starts building this package into a new temporary directory,
// with the race detector if the test binary has it (go test -race), so
// that the end-to-end tests check the binary the way the other tests check
// the code.
func buildFerry() *builtBinary {
	b := &builtBinary{done: make(chan struct{})}
	go func() {
		defer close(b.done)
		dir, err := os.MkdirTemp("", "ferry-bin-*")
		if err != nil {
			b.err = err
			return
		}
		b.dir, b.path = dir, filepath.Join(dir, "ferry")
		args := []string{"build", "-o", b.path}
		if raceEnabled {
			args = append(args, "-race")
		}
		out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
		if err != nil {
			b.err = &buildError{out: string(out), err: err}
		}
	}()
	return b
}

// wait returns the binary's path once it is built, or fails t with the
// build's output.
func (b *builtBinary) wait(t testing.TB) string {
	t.Helper()
	<-b.done
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// remove waits for the build to end and removes the binary with its
// directory.
func (b *builtBinary) remove() {
	<-b.done
	if b.dir != "" {
		os.RemoveAll(b.dir)
	}
}

// buildError is a failed go build with what it printed.
type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return "go build: " + e.err.Error() + "\n" + e.out }

// ferryBin is set by TestMain before any test runs and only read after.
var ferryBin *builtBinary

// ferryBinary returns the path of the ferry binary built for this run,
// waiting for the build to finish.
func ferryBinary(t testing.TB) string {
	t.Helper()
	return ferryBin.wait(t)
}
