package tui

import (
	"fmt"
	"io/fs"
	"strconv"
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

// ids turns the owner into numeric ids on fsys, -1 for what stays:
// numbers as they are, names through the file system's user database
// when it has one.
func (w owner) ids(fsys transfer.FS) (uid, gid int, err error) {
	look, _ := fsys.(transfer.IDLookuper)
	one := func(v, what string, lookup func(string) (int, bool)) (int, error) {
		if v == "" {
			return -1, nil
		}
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			return n, nil
		}
		if look == nil {
			return 0, fmt.Errorf("%s names are not known on %s: give a numeric id", what, fsys.Label())
		}
		if n, ok := lookup(v); ok {
			return n, nil
		}
		return 0, fmt.Errorf("no %s named %s on %s", what, text.Sanitize(v), fsys.Label())
	}
	var lu, lg func(string) (int, bool)
	if look != nil {
		lu, lg = look.LookupUser, look.LookupGroup
	}
	if uid, err = one(w.user, "user", lu); err != nil {
		return 0, 0, err
	}
	gid, err = one(w.group, "group", lg)
	return uid, gid, err
}

// startChown asks for the new owner and group of the targets.
func (o *fileOps) startChown() tea.Cmd {
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
	d := o.newInput("Owner[:group] (ids or names) for "+pane.Describe(targets), "", o.submitChown)
	d.names = pane.RawNames(targets)
	o.push(d)
	return nil
}

// submitChown changes the owner and group of every target.
func (o *fileOps) submitChown(d *inputDialog, value string) (tea.Cmd, bool) {
	w, err := parseOwner(value)
	if err != nil {
		d.SetErr(err.Error())
		return nil, false
	}
	p := &o.panes[d.side]
	fsys, dir, ctx, targets := p.FS(), p.Path(), o.ctx, d.names
	return func() tea.Msg {
		msg := opDoneMsg{fs: fsys, dir: dir, side: d.side, clearSel: true}
		uid, gid, err := w.ids(fsys)
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
