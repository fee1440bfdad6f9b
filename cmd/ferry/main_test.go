package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMain removes the ferry binary the tests built, with its directory,
// once every test has run.
func TestMain(m *testing.M) {
	code := m.Run()
	if ferryBin.path != "" {
		os.RemoveAll(filepath.Dir(ferryBin.path))
	}
	os.Exit(code)
}
