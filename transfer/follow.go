package transfer

import (
	"fmt"
	"io/fs"
	"path"
)

// follow resolves the symbolic link that child job c of directory job j
// names, for Request.FollowLinks: it returns what the link points to. A
// link that points nowhere is an error, and so is a link to a directory
// that contains it (found by its target's text; loops through several
// links are caught by inode on a local disk and by MaxDepth anywhere).
func (w *walker) follow(j, c *job) (fs.FileInfo, error) {
	src := w.b.req.Src
	fi, err := src.Stat(w.ctx, c.src)
	if err != nil {
		return nil, &fs.PathError{Op: "follow link", Path: c.src, Err: fmt.Errorf("points nowhere: %w", err)}
	}
	if !fi.IsDir() || src.Separator() != "/" {
		return fi, nil
	}
	target, err := src.Readlink(w.ctx, c.src)
	if err != nil {
		return nil, &fs.PathError{Op: "follow link", Path: c.src, Err: err}
	}
	resolved := target
	if !path.IsAbs(target) {
		resolved = path.Join(j.src, target)
	}
	if Within(path.Clean(resolved), c.src, "/") {
		return nil, &fs.PathError{Op: "follow link", Path: c.src, Err: fmt.Errorf("%w: %q leads back to a directory above it", ErrLoop, target)}
	}
	return fi, nil
}
