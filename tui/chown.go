package tui

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/pane"
)

// owner is what the user typed in the chown dialog: a user, a group or
// both, each a number or a name; "" leaves that one as it is.
type owner struct{ user, group string }

// parseOwner parses chown's OWNER[:GROUP] and :GROUP forms.
func parseOwner(s string) (owner, error) {
	s = strings.TrimSpace(s)
	u, g, _ := strings.Cut(s, ":")
	if u == "" && g == "" {
		return owner{}, &pane.NameError{Reason: "give an owner, owner:group or :group, as ids (1000:1000) or names"}
	}
	for _, v := range []string{u, g} {
		if strings.ContainsAny(v, ": \t") {
			return owner{}, &pane.NameError{Reason: fmt.Sprintf("%q is not a user or group name or id", text.Sanitize(v))}
		}
	}
	return owner{user: u, group: g}, nil
}

// startChown asks for the new owner and group of the targets; recursive
// changes everything below the directories too (chown -R).
func (o *fileOps) startChown(recursive bool) tea.Cmd {
	p, ok := o.actionPane()
	if !ok {
		return nil
	}
	if _, ok := p.FS().(transfer.Chowner); !ok {
		o.status.setInfo(p.Label() + " cannot change owners")
		return nil
	}
	targets := p.Targets()
	if len(targets) == 0 {
		return nil
	}
	title := "Owner[:group] (ids or names) for "
	if recursive {
		title = "Owner[:group], recursively (ids or names), for "
	}
	d := o.newInput(title+pane.Describe(targets), "", func(d *inputDialog, v string) (tea.Cmd, bool) {
		return o.submitChown(d, v, recursive)
	})
	d.names = pane.RawNames(targets)
	o.push(d)
	return nil
}

// submitChown changes the owner and group of every target, and with -R
// of everything below them.
func (o *fileOps) submitChown(d *inputDialog, value string, recursive bool) (tea.Cmd, bool) {
	w, err := parseOwner(value)
	if err != nil {
		d.SetErr(err.Error())
		return nil, false
	}
	if recursive {
		return o.runTreeChange(d, "chown -R", "owner", func(ctx context.Context, fsys transfer.FS, dir string) (treeChange, error) {
			uid, gid, err := transfer.OwnerIDs(ctx, fsys, dir, w.user, w.group)
			if err != nil {
				return nil, &fs.PathError{Op: "chown", Path: fsys.Join(dir, d.names[0]), Err: err}
			}
			c, ok := fsys.(transfer.Chowner)
			if !ok {
				return nil, &fs.PathError{Op: "chown", Path: fsys.Join(dir, d.names[0]), Err: transfer.ErrNoChown}
			}
			return func(ctx context.Context, path string, _ fs.FileInfo) error {
				return c.Chown(ctx, path, uid, gid)
			}, nil
		}), true
	}
	p := &o.panes[d.side]
	fsys, dir, ctx, targets := p.FS(), p.Path(), o.ctx, d.names
	return func() tea.Msg {
		msg := opDoneMsg{fs: fsys, dir: dir, side: d.side, clearSel: true}
		uid, gid, err := transfer.OwnerIDs(ctx, fsys, dir, w.user, w.group)
		if err != nil {
			msg.err, msg.clearSel = &fs.PathError{Op: "chown", Path: fsys.Join(dir, targets[0]), Err: err}, false
			return msg
		}
		for _, n := range targets {
			if err := transfer.ChownAll(ctx, fsys, fsys.Join(dir, n), uid, gid, false); err != nil {
				msg.err, msg.clearSel = err, false
				return msg
			}
		}
		msg.info = "owner changed on " + text.Plural(len(targets), "entry")
		return msg
	}, true
}
