package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/ferry-tui/ferry/modes"
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
)

// opChmod changes the mode of the paths, and with -R of everything below
// them; a symbolic mode applies to each entry's own bits.
func opChmod(ctx context.Context, o *opRun) error {
	change, err := modes.Parse(o.lead[0])
	if err != nil {
		return err
	}
	for _, p := range o.paths {
		if _, err := transfer.ChmodAll(ctx, o.fs, p, o.flag, change.Apply); err != nil {
			return err
		}
	}
	return nil
}

// opChown changes the owner and group of the paths, and with -R of
// everything below them. Names are looked up in the server's long
// listings near the first path.
func opChown(ctx context.Context, o *opRun) error {
	uid, gid, err := ownerIDs(ctx, o, o.lead[0])
	if err != nil {
		return err
	}
	for _, p := range o.paths {
		if err := transfer.ChownAll(ctx, o.fs, p, uid, gid, o.flag); err != nil {
			return err
		}
	}
	return nil
}

// ownerIDs parses USER[:GROUP] or :GROUP, each a number or a name; -1
// stands for what stays.
func ownerIDs(ctx context.Context, o *opRun, s string) (uid, gid int, err error) {
	u, g, _ := strings.Cut(s, ":")
	if u == "" && g == "" || strings.Contains(g, ":") {
		return 0, 0, fmt.Errorf("owner %q: give USER[:GROUP] or :GROUP, as numbers or names", text.Sanitize(s))
	}
	return transfer.OwnerIDs(ctx, o.fs, o.fs.Dir(o.paths[0]), u, g)
}

// opLn makes paths[1] a symbolic link to paths[0], which is stored as
// given (relative or absolute), as ln -s does.
func opLn(ctx context.Context, o *opRun) error {
	if !o.flag {
		return errors.New("only symbolic links are made over SFTP: use ln -s")
	}
	target, link := o.paths[0], o.paths[1]
	if _, err := o.fs.Lstat(ctx, link); err == nil {
		return &fs.PathError{Op: "symlink", Path: link, Err: fs.ErrExist}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return o.fs.Symlink(ctx, target, link)
}

// opTouch creates each path as an empty file, or sets the times of an
// existing one to now.
func opTouch(ctx context.Context, o *opRun) error {
	for _, p := range o.paths {
		_, err := o.fs.Stat(ctx, p)
		switch {
		case err == nil:
			now := time.Now()
			err = o.fs.Chtimes(ctx, p, now, now)
		case errors.Is(err, fs.ErrNotExist):
			err = transfer.CreateEmpty(ctx, o.fs, p)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// opDu prints the total size of each path in bytes, as du -sb does:
// "SIZE<tab>PATH".
func opDu(ctx context.Context, o *opRun) error {
	for _, p := range o.paths {
		fi, err := o.fs.Lstat(ctx, p)
		if err != nil {
			return err
		}
		size := fi.Size()
		if fi.IsDir() {
			if size, err = transfer.DirSize(ctx, o.fs, p, 0); err != nil {
				return err
			}
		}
		fmt.Fprintf(o.stdout, "%d\t%s\n", size, text.Sanitize(p))
	}
	return nil
}
