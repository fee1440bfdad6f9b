package transfer

import (
	"errors"
	"io/fs"
	"strings"
)

// mustBeDir checks, as cp and scp do, that a destination written with a
// trailing separator is an existing directory: "newdir/" must never
// become a file named newdir. typed is the destination as the user wrote
// it (and as the error names it); fi and err are its Stat. A destination
// typed without a trailing separator is not checked here (Targets decides
// what it means).
func mustBeDir(fsys FS, typed string, fi fs.FileInfo, err error) error {
	if !strings.HasSuffix(typed, "/") && !strings.HasSuffix(typed, fsys.Separator()) {
		return nil
	}
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
