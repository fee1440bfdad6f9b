package remote

import (
	"flag"
	"os"
	"runtime"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestMain runs the tests. Most of them wait on a server (a handshake, a
// stalled or killed session, a delay proxy), so unless -test.parallel
// says otherwise, more of them run at once than there are CPUs.
func TestMain(m *testing.M) {
	flag.Parse()
	sshdtest.DefaultParallel(3 * runtime.GOMAXPROCS(0))
	os.Exit(m.Run())
}
