package transfer_test

import (
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/transfer"
)

// Both file systems satisfy transfer.FS without importing it.
var (
	_ transfer.FS = (*local.FS)(nil)
	_ transfer.FS = (*remote.FS)(nil)
)
