// Package transfer moves files between file systems: it defines the FS
// interface both sides implement, plans copies, and drains them through a
// worker pool without ever losing a byte.
//
// # Using the engine
//
// New starts an Engine; Submit queues a Request (two file systems, a list
// of Items mapping each source to its exact destination, a conflict Policy)
// and returns at once with the Batch's handle. Targets maps sources to
// destinations the way cp and scp do. The TUI and `ferry cp` both drive
// the same engine:
//
//	e := transfer.New(transfer.Options{Workers: 16})
//	defer e.Close()
//	items, err := transfer.Targets(ctx, src, paths, dst, dir, typed)
//	b, err := e.Submit(transfer.Request{Src: src, Dst: dst, Items: items, Policy: transfer.Ask})
//	sub := b.Subscribe()                  // this batch's events, as often as wanted
//	for ev := range sub.Events() { ... }  // lifecycle: started, finished, conflicts, notices
//	s := e.Snapshot()                     // bytes, speed, ETA: poll ~10 times a second
//	sum, err := b.Wait(ctx)               // until the batch is done: counts and failures
//
// Engine.Events carries the events of every batch to one reader (the
// TUI's queue view), and Engine.Wait waits until nothing is left to do.
//
// Jobs can be cancelled (Cancel, CancelBatch, CancelAll), retried (Retry,
// RetryFailed), and the queue paused (Pause, Resume) or resized
// (SetWorkers) while it runs. Under the Ask policy a job whose destination
// exists waits, without holding a worker, for Answer.
//
// # Planning
//
// A goroutine per batch walks the sources while workers copy what it has
// found; Snapshot.Counting says the totals are still growing. Directories
// are created as they are reached (empty ones too) and get their final
// permissions and times when the batch ends. A top-level symbolic link is
// followed; one found inside a directory is recreated only when its target
// stays inside the copied tree, and skipped with ErrLinkOutside otherwise.
// Walks stop at MaxDepth and at directory loops. Listed names that are
// empty, "." or "..", or contain a slash or NUL, are rejected with
// ErrUnsafeName before any path is built from them, and a local
// destination is written through an os.Root (see RootOpener), so nothing
// lands outside it. A directory copied into itself is refused by Submit.
//
// # Safe writes
//
// A file is never written under its final name. It goes to ".NAME.ferry-part"
// beside the target, created with O_EXCL and its permissions set before
// any data; then come the data, Sync as the durability policy says (see
// Fsync; on a server only where it offers fsync@openssh.com), a checked
// Close, a size check, the modification time,
// and a rename over the target: atomic on local disks and with
// posix-rename@openssh.com; otherwise the old file is moved aside for the
// moment of the rename, and a Notice says so. A dropped connection leaves
// the old file as it was.
//
// Files of 8 MiB or more also get ".NAME.ferry-part.meta", recording the
// source's size and time. A retry, or the Resume policy, continues such a
// partial copy when the source is unchanged and the 64 KiB before the
// resume point match; the resume point lies 5 MiB before the partial
// file's end, because writes with many requests in flight may have left
// the last ones missing. Anything else restarts the file.
//
// # Moving
//
// A Request with Move set removes each source once its copy is safely in
// place. A file (or symbolic link) goes right after its copy was renamed
// into place, and only if it is still what was copied: same size and
// time, and on the local disk the same inode; otherwise it stays and a
// SourceKept event says so. A source whose copy failed, was skipped or was
// cancelled is never touched. Directories go when the batch ends, deepest
// first, and only if they are empty by then. A source that is a symbolic
// link to a directory was copied through the link, so only the link goes,
// once everything below it arrived. Within one file system (Src and Dst
// the same value) an item whose destination does not exist is renamed
// instead; a conflict or a rename that fails (another device) falls back
// to copying and removing. SourceRemoved and SourceKept events, the
// JobStatus fields and the Summary's counts say what became of the
// sources.
//
// # Speed
//
// Uploads use (*sftp.File).ReadFromWithConcurrency explicitly and
// downloads (*sftp.File).WriteTo, with bytes counted on the local side
// only, where counting costs no concurrency; remote to remote streams
// through a pipe with both. Small files are read in one request using the
// listed size, their read handle closes while the write goes on, the time
// is set while Sync and Close run, the written count proves the size, and
// the chmod is skipped where the server's default for new files is the
// mode wanted already. On a server (SmallReader, SmallCreator) a small
// file costs fewer round trips still: a download the open and one round
// trip for its reads and close, an upload the create (with its mode),
// one round trip for mode, data, times, flush and close, and the rename.
package transfer
