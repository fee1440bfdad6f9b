package transfer

import "errors"

// Causes the engine reports in JobStatus.Err and Event.Err, wrapped with
// the operation and the path; test them with errors.Is.
var (
	// ErrUnsafeName: a directory listing contained a name that is empty,
	// "." or "..", or contains a slash or NUL. The entry is not copied.
	ErrUnsafeName = errors.New("unsafe name in directory listing")
	// ErrLinkOutside: a symbolic link points outside the tree being
	// copied, so it is not recreated.
	ErrLinkOutside = errors.New("symbolic link points outside the copied tree")
	// ErrTooDeep: a directory lies deeper than MaxDepth below the source.
	ErrTooDeep = errors.New("directory tree too deep")
	// ErrLoop: a directory contains itself (a bind mount or a lying server).
	ErrLoop = errors.New("directory loop")
	// ErrIntoItself: a directory would be copied into itself, or a file onto itself.
	ErrIntoItself = errors.New("cannot copy a file or directory onto or into itself")
	// ErrSpecial: the source is a device, socket or named pipe.
	ErrSpecial = errors.New("not a regular file, directory or symbolic link")
	// ErrExists: the destination exists and the policy said skip.
	ErrExists = errors.New("destination exists")
	// ErrNotNewer: the destination is at least as new as the source and
	// the policy said overwrite only if newer.
	ErrNotNewer = errors.New("destination is not older than the source")
	// ErrDoneBefore: an earlier run of the same copy (Request.Earlier)
	// finished this file.
	ErrDoneBefore = errors.New("copied by an earlier run")
	// ErrIsDir: a file would replace a directory, or the reverse.
	ErrIsDir = errors.New("destination is a directory")
	// ErrNotDir: a directory would replace a file.
	ErrNotDir = errors.New("destination exists and is not a directory")
	// ErrShortWrite: the destination did not receive every byte.
	ErrShortWrite = errors.New("size check failed")
	// ErrStalled: no bytes of the file moved for the stall timeout.
	ErrStalled = errors.New("stalled: no data moved")
	// ErrNotRestored: the connection a file needed dropped and could not
	// be restored, so the file was not tried again.
	ErrNotRestored = errors.New("the connection could not be restored")
	// ErrNoSpace: the destination is full (or over quota); the partial
	// copy was removed, since it could not be finished there.
	ErrNoSpace = errors.New("destination is full")
	// ErrClosed: the engine has been closed.
	ErrClosed = errors.New("transfer engine closed")
)
