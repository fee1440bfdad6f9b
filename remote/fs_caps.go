package remote

import (
	"github.com/pkg/sftp"

	"github.com/ferry-tui/ferry/transfer"
)

// The remote file system, and the files it opens, offer the engine these
// capabilities; a signature drift would otherwise silently turn a safety
// or speed feature off.
var (
	_ transfer.FS             = (*FS)(nil)
	_ transfer.Extensioner    = (*FS)(nil)
	_ transfer.FileOpener     = (*FS)(nil)
	_ transfer.DefaultCreator = (*FS)(nil)
	_ transfer.ErrorExplainer = (*FS)(nil)
	_ transfer.RangeWriter    = (*FS)(nil)
	_ transfer.Streamer       = (*FS)(nil)
	_ transfer.Reconnector    = (*FS)(nil)
	_ transfer.RangeDisabler  = (*FS)(nil)
	_ transfer.RemoteFile     = (*sftp.File)(nil)
	_ transfer.HandleModer    = (*sftp.File)(nil)
	_ transfer.Syncer         = (*sftp.File)(nil)
)

// Separator returns "/", the separator of SFTP paths.
func (*FS) Separator() string { return "/" }
