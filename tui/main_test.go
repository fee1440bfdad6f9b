package tui

import (
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestMain runs the tests. Most of them drive the UI through Update and
// wait for a command's result (a listing, a copy on the engine, a walk
// over sshd), not computing, so more of them run at once than there are
// CPUs.
func TestMain(m *testing.M) { sshdtest.RunParallel(m, 4) }
