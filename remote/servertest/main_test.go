package servertest

import (
	"flag"
	"os"
	"runtime"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestMain runs the tests. The servers' cases spend their time waiting
// for server processes (starting, stopping, frozen on purpose), so unless
// -test.parallel says otherwise, every kind runs at once.
func TestMain(m *testing.M) {
	flag.Parse()
	sshdtest.DefaultParallel(max(len(Kinds()), runtime.GOMAXPROCS(0)))
	os.Exit(m.Run())
}
