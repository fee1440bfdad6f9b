package transfer_test

import (
	"flag"
	"os"
	"runtime"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestMain runs the tests. Many of them spend much of their time waiting
// for a server process or for the disk, so unless -test.parallel says
// otherwise, more of them run at once than there are CPUs.
func TestMain(m *testing.M) {
	flag.Parse()
	sshdtest.DefaultParallel(3 * runtime.GOMAXPROCS(0))
	os.Exit(m.Run())
}
