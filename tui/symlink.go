package tui

import (
	"errors"
	"io/fs"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
)

// startSymlink asks where to make a symbolic link to the entry under the
// cursor, as mc's C-x s does: the link points to the entry's full path
// and is proposed, under the entry's name, in the other pane's directory
// when that pane shows another directory of the same file system, else
// beside the entry as NAME.link. The answer may be a name, a relative
// path, ~/path or an absolute path.
func (o *fileOps) startSymlink() tea.Cmd {
	p, ok := o.actionPane()
	if !ok {
		return nil
	}
	e, ok := p.Current()
	if !ok {
		return nil
	}
	fsys := p.FS()
	target := fsys.Join(p.Path(), e.Name())
	at := e.Name() + ".link"
	if q := &o.panes[o.focus.Other()]; q.Loaded() && sameLocation(q.FS(), fsys) && q.Path() != p.Path() {
		at = fsys.Join(q.Path(), e.Name())
	}
	d := o.newInput("Symbolic link to "+text.Sanitize(target)+", at", at, o.submitSymlink)
	d.names = []string{target}
	o.push(d)
	return nil
}

// submitSymlink makes the link, refusing a place that is taken.
func (o *fileOps) submitSymlink(d *inputDialog, value string) (tea.Cmd, bool) {
	if value == "" {
		d.SetErr("give the new link's name or path")
		return nil, false
	}
	p := &o.panes[d.side]
	fsys, dir, ctx, target := p.FS(), p.Path(), o.ctx, d.names[0]
	at := p.Resolve(value)
	if fsys.Base(at) == "." || fsys.Base(at) == ".." || at == fsys.Dir(at) {
		d.SetErr("give the new link's name or path, not a directory")
		return nil, false
	}
	if fsys.Dir(at) == dir && p.HasName(fsys.Base(at)) {
		d.SetErr(text.Sanitize(fsys.Base(at)) + " already exists")
		return nil, false
	}
	return func() tea.Msg {
		msg := opDoneMsg{fs: fsys, dir: dir, side: d.side, also: []string{fsys.Dir(at)}}
		if fsys.Dir(at) == dir {
			msg.selectName = fsys.Base(at)
		}
		if _, err := fsys.Lstat(ctx, at); err == nil {
			msg.err = &fs.PathError{Op: "symlink", Path: at, Err: fs.ErrExist}
		} else if !errors.Is(err, fs.ErrNotExist) {
			msg.err = err
		} else {
			msg.err = fsys.Symlink(ctx, target, at)
		}
		return msg
	}, true
}
