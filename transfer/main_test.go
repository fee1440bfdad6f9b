package transfer_test

import (
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestMain runs the tests. Many of them spend much of their time waiting
// for a server process or for the disk, so more of them run at once than
// there are CPUs.
func TestMain(m *testing.M) { sshdtest.RunParallel(m, 3) }
