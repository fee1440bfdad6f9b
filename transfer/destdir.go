package transfer

import (
	"context"
	"errors"
	"io/fs"
	"strings"
)

// MustBeDir checks, as cp and scp do, that a destination written with a
// trailing separator is an existing directory: "newdir/" must never
// become a file named newdir. p is the destination on fsys as resolved,
// typed as the user wrote it (and as the error names it); a destination
// typed without a trailing separator is not checked here (Targets decides
// what it means).
func MustBeDir(ctx context.Context, fsys FS, p, typed string) error {
	if !strings.HasSuffix(typed, "/") && !strings.HasSuffix(typed, fsys.Separator()) {
		return nil
	}
	fi, err := fsys.Stat(ctx, p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &fs.PathError{Op: "copy to", Path: typed, Err: errors.New("no such directory (a destination ending in / must be an existing directory)")}
	case err != nil:
		return err
	case !fi.IsDir():
		return &fs.PathError{Op: "copy to", Path: typed, Err: errors.New("not a directory (a destination ending in / must be an existing directory)")}
	}
	return nil
}
