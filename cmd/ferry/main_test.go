package main

import (
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestMain starts building the ferry binary that the end-to-end tests
// run, runs the tests, and removes the binary with its directory once
// every test has run. Started under the name fakeSudoName, the test
// binary is the stand-in for sudo instead (fakeSudoMain).
//
// Most tests here spend their time waiting for a server, a terminal or
// the built binary, not computing, so unless -test.parallel says
// otherwise, more of them run at once than there are CPUs.
func TestMain(m *testing.M) {
	if filepath.Base(os.Args[0]) == fakeSudoName {
		fakeSudoMain()
	}
	flag.Parse()
	// Every test has a private HOME; without this, a test's binary would
	// keep its transfer journal in the state directory of the person
	// running the tests.
	os.Unsetenv("XDG_STATE_HOME")
	// Nor may the settings file of the person running them change what
	// a test's binary does.
	os.Unsetenv("XDG_CONFIG_HOME")
	sshdtest.DefaultParallel(4 * runtime.GOMAXPROCS(0))
	ferryBin = buildFerry()
	code := m.Run()
	ferryBin.remove()
	os.Exit(code)
}
