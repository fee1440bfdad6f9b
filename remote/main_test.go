package remote

import (
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestMain runs the tests. Most of them wait on a server (a handshake, a
// stalled or killed session, a delay proxy), so more of them run at once
// than there are CPUs.
func TestMain(m *testing.M) { sshdtest.RunParallel(m, 3) }
