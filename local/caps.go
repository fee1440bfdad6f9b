package local

import (
	"os"

	"github.com/ferry-tui/ferry/transfer"
)

// The local file system, and the files it opens, offer the engine these
// capabilities; a signature drift would otherwise silently turn a safety
// or speed feature off.
var (
	_ transfer.FS         = (*FS)(nil)
	_ transfer.RootOpener = (*FS)(nil)
	_ transfer.LocalFile  = (*os.File)(nil)
	_ transfer.Syncer     = (*os.File)(nil)
)
