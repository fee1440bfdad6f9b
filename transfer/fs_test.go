package transfer_test

import (
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/transfer"
)

// Both file systems satisfy transfer.FS without importing it, and offer
// the optional capabilities the engine relies on: a signature drift there
// would otherwise silently turn a safety or speed feature off.
var (
	_ transfer.FS = (*local.FS)(nil)
	_ transfer.FS = (*remote.FS)(nil)

	_ transfer.RootOpener     = (*local.FS)(nil)
	_ transfer.Extensioner    = (*remote.FS)(nil)
	_ transfer.FileOpener     = (*remote.FS)(nil)
	_ transfer.DefaultCreator = (*remote.FS)(nil)
	_ transfer.ErrorExplainer = (*remote.FS)(nil)
	_ transfer.RangeWriter    = (*remote.FS)(nil)
	_ transfer.Streamer       = (*remote.FS)(nil)
)
