// Package mirror makes one directory tree look like another: the planner
// behind `ferry sync`, usable by the UI too.
//
// MakePlan walks both trees at once, many directories in flight on each
// side, and returns a Plan: every entry to copy (New), replace (Changed)
// or remove (Delete), with its size and the reason. Nothing is changed
// while planning. Running a plan is four steps, in this order:
//
//	p, err := mirror.MakePlan(ctx, src, "/data", dst, "/backup", mirror.Options{Delete: true})
//	err = p.Prepare(ctx)              // with Delete: remove what a copy cannot replace
//	if req, ok := p.Request(); ok {   // the copies, on the transfer engine
//		b, err := eng.Submit(req)
//		sum, err := b.Wait(ctx)
//	}
//	err = p.Delete(ctx, nil)          // only if every copy succeeded
//	err = p.FixDirs(ctx)              // directory times and modes
//
// With Options.Early (not with Delete or Checksum) the copies need not
// wait for the whole plan: MakePlan hands out the request as the walk
// starts, its Select answering for each entry once the walk compared the
// entry's directory, and the engine copies behind the walk; Request then
// offers nothing.
//
// # Comparing
//
// Regular files differ when their sizes differ; with equal sizes, when
// their modification times are at least Options.ModifyWindow apart (one
// second by default, the precision of SFTP: a change of a file's
// contents that keeps its size within the same second is seen only with
// Checksum), or under Checksum when their hashes differ, or never under
// SizeOnly. Checksum asks a server for its files' hashes when
// Options.SrcSum or DstSum can (the SFTP check-file extension) and hashes
// the other side with the algorithm the server chose; otherwise both
// sides are read as streams (SHA-256). Files that count as equal but
// whose permission bits differ get a chmod (a ModeOnly action), not a
// copy, as with rsync -a. Symbolic links differ when
// their targets do; a link pointing outside the source tree is not
// copied (a Note says so), as with ferry cp. Under FollowLinks a link to
// a directory above it is a loop: a Note (transfer.ErrLoop) and no copy. An entry of another kind on
// the destination is replaced; a directory in the way of a file, or a
// file in the way of a directory, only with Delete. ferry's own
// temporary files (".NAME.ferry-part") are neither synced nor deleted.
//
// # Filters
//
// Options.Filter holds --include and --exclude rules, rsync-like. Each
// entry's path below the root ("dir/sub/file.txt") is tried against the
// rules in the order given; the first rule that matches decides, and an
// entry no rule matches is included. An excluded entry is neither copied
// nor deleted (nor is a directory above it that Delete would remove), and
// an excluded directory is skipped whole: nothing below it is looked at,
// so --include cannot bring back a file inside it.
//
//   - "*" matches any run of characters but "/", "?" one character but
//     "/", "[a-z]" and "[!a-z]" a class, "\" makes the next one literal.
//   - "**" matches anything, "/" included: "src/**.go", "**/cache".
//   - A pattern starting with "/" is anchored at the root ("/build"
//     matches only the top-level build); otherwise it matches the end of
//     the path at a "/" boundary ("*.o" any object file, "doc/*.txt" a
//     txt file in any directory named doc).
//   - A pattern ending in "/" matches only directories ("cache/").
//   - "dir/***" matches dir and everything below it.
package mirror
