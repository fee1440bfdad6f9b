package main

import (
	"os"
	"testing"
)

// TestMain starts building the ferry binary that the end-to-end tests
// run, runs the tests, and removes the binary with its directory once
// every test has run.
func TestMain(m *testing.M) {
	ferryBin = buildFerry()
	code := m.Run()
	ferryBin.remove()
	os.Exit(code)
}
