package tui

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/dialog"
	"github.com/ferry-tui/ferry/tui/pane"
)

// maxHints is how many completion candidates the go-to dialog lists.
const maxHints = 12

// completionMsg carries the directories a go-to completion may use.
type completionMsg struct {
	id    uint64
	typed string   // the input the completion was for
	names []string // raw directory names starting with the typed prefix
	err   error
}

// startGoto asks for a path to show in the focused pane.
func (o *fileOps) startGoto() tea.Cmd {
	p := o.focused()
	if p.FS() == nil {
		o.status.setInfo("no file system in this pane: press " + o.keys.Hosts.Help().Key + " to open a host")
		return nil
	}
	d := o.newInput("Go to (relative to "+p.Label()+", ~ is home)", "", o.submitGoto)
	d.Completion()
	o.push(d)
	return nil
}

// submitGoto lists the typed path.
func (o *fileOps) submitGoto(d *inputDialog, value string) (tea.Cmd, bool) {
	p := &o.panes[d.side]
	v := strings.TrimSpace(value)
	switch v {
	case "":
		return nil, true
	case "~":
		return p.Home(), true
	}
	return p.Load(p.Resolve(v), ""), true
}

// complete lists the directory the typed path is in, in a Cmd, to complete
// its last element.
func (o *fileOps) complete(msg dialog.CompleteMsg) tea.Cmd {
	d, ok := asOverlay[*inputDialog](o.top())
	if !ok || d.ID() != msg.ID {
		return nil
	}
	p := &o.panes[d.side]
	typed := msg.Typed
	sep := p.FS().Separator()
	dirPart, prefix := "", typed
	if i := strings.LastIndex(typed, sep); i >= 0 {
		dirPart, prefix = typed[:i+1], typed[i+1:]
	}
	dir := p.Path()
	if dirPart != "" {
		dir = p.Resolve(dirPart)
	}
	d.compReq = o.ids.next()
	fsys, ctx, id := p.FS(), o.ctx, d.compReq
	return func() tea.Msg {
		names, err := listDirNames(ctx, fsys, dir, prefix)
		return completionMsg{id: id, typed: typed, names: names, err: err}
	}
}

// listDirNames returns the names in dir of directories (and symbolic
// links, which may lead to one) that start with prefix, sorted.
func listDirNames(ctx context.Context, fsys transfer.FS, dir, prefix string) ([]string, error) {
	infos, err := fsys.ReadDir(ctx, dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, fi := range infos {
		n := fi.Name()
		if (fi.IsDir() || fi.Mode()&fs.ModeSymlink != 0) && strings.HasPrefix(n, prefix) && pane.ValidateName(n) == nil {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}

// handleCompletion completes the input as far as the candidates agree and
// lists them when several remain. Names that would not show as typed
// (control characters and the like) are listed but never inserted.
func (o *fileOps) handleCompletion(msg completionMsg) {
	d, ok := asOverlay[*inputDialog](o.top())
	if !ok || d.compReq != msg.id || d.Typed() != msg.typed {
		return // stale: the dialog closed, or the text changed
	}
	d.SetErr("")
	if msg.err != nil {
		d.SetHints(nil)
		d.SetErr(text.Sanitize(msg.err.Error()))
		return
	}
	sep := o.panes[d.side].FS().Separator()
	dirPart := msg.typed[:strings.LastIndex(msg.typed, sep)+1]
	var safe, hints []string
	for _, n := range msg.names {
		if text.Sanitize(n) == n {
			safe = append(safe, n)
		}
		if len(hints) < maxHints {
			hints = append(hints, text.Sanitize(n)+sep)
		}
	}
	d.SetHints(hints)
	switch {
	case len(msg.names) == 0:
		d.SetErr("no directory matches")
	case len(safe) == 1 && len(msg.names) == 1:
		d.SetHints(nil)
		d.SetTyped(dirPart + safe[0] + sep)
	case len(safe) > 0:
		d.SetTyped(dirPart + commonPrefix(safe))
	}
}

// commonPrefix returns the longest prefix all names share, cut at a rune
// boundary.
func commonPrefix(names []string) string {
	p := names[0]
	for _, n := range names[1:] {
		i := 0
		for i < len(p) && i < len(n) && p[i] == n[i] {
			i++
		}
		p = p[:i]
	}
	for len(p) > 0 && !utf8.ValidString(p) {
		p = p[:len(p)-1]
	}
	return p
}
