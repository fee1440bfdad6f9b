package tui

import (
	"context"
	"errors"
	"io/fs"
	"strings"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/pane"
)

// errNotDir says a component of a new directory's path is a file.
var errNotDir = errors.New("exists and is not a directory")

// mkdirParts splits what the user typed for a new directory into its
// path elements: "a/b/c" makes a, a/b and a/b/c, as mc does. A trailing
// separator is allowed; an absolute path, an empty element, "." and ".."
// are not.
func mkdirParts(value, sep string) ([]string, error) {
	if sep != "/" {
		value = strings.ReplaceAll(value, sep, "/")
	}
	if strings.HasPrefix(value, "/") {
		return nil, &pane.NameError{Reason: "give a path inside this directory, like a or a/b/c"}
	}
	value = strings.TrimRight(value, "/")
	parts := strings.Split(value, "/")
	for _, part := range parts {
		if err := pane.ValidateName(part); err != nil {
			return nil, err
		}
	}
	return parts, nil
}

// mkdirPath makes the directories parts in dir on fsys, each inside the
// one before, like mkdir -p except that the last must not exist yet. It
// returns the directories whose listings changed (where it made
// something), and an error naming the element that failed.
func mkdirPath(ctx context.Context, fsys transfer.FS, dir string, parts []string) (changed []string, err error) {
	p := dir
	for i, part := range parts {
		parent := p
		p = fsys.Join(p, part)
		last := i == len(parts)-1
		fi, err := fsys.Stat(ctx, p)
		switch {
		case err == nil && !fi.IsDir():
			return changed, &fs.PathError{Op: "mkdir", Path: p, Err: errNotDir}
		case err == nil && last:
			return changed, &fs.PathError{Op: "mkdir", Path: p, Err: fs.ErrExist}
		case err == nil:
			continue
		case !errors.Is(err, fs.ErrNotExist):
			return changed, err
		}
		if err := fsys.Mkdir(ctx, p, 0o755); err != nil {
			return changed, err
		}
		changed = append(changed, parent)
	}
	return changed, nil
}
