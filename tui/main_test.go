package tui

import (
	"flag"
	"os"
	"runtime"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestMain runs the tests. Most of them drive the UI through Update and
// wait for a command's result (a listing, a copy on the engine, a walk
// over sshd), not computing, so unless -test.parallel says otherwise,
// more of them run at once than there are CPUs.
func TestMain(m *testing.M) {
	flag.Parse()
	sshdtest.DefaultParallel(4 * runtime.GOMAXPROCS(0))
	os.Exit(m.Run())
}
