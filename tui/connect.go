package tui

import (
	"io"
	"reflect"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/dialog"
)

// connectDoneMsg reports the end of a connection attempt.
type connectDoneMsg struct {
	id    uint64
	alias string
	fs    transfer.FS
	err   error
}

// fsClosedMsg reports that a file system no pane shows was closed.
type fsClosedMsg struct{}

// replaceFS shows fsys in the pane on side s, in its home directory, and
// gives it the focus. owned marks a file system opened by Connect: it is
// closed once no pane shows it.
func (m *Model) replaceFS(s side, fsys transfer.FS, owned bool) tea.Cmd {
	return m.replaceFSAt(s, fsys, "", owned)
}

// replaceFSAt is replaceFS starting in dir (see pane.Model.Load).
func (m *Model) replaceFSAt(s side, fsys transfer.FS, dir string, owned bool) tea.Cmd {
	p := &m.panes[s]
	old := p.FS()
	if owned {
		m.owned = append(m.owned, fsys)
	}
	cmd := tea.Batch(p.SetFSAt(fsys, dir), m.conns.sync(&m.panes, m.ids.next))
	m.setFocus(s)
	if old == nil || sameFS(old, fsys) || sameFS(m.panes[s.Other()].FS(), old) {
		return cmd
	}
	for i, o := range m.owned {
		if sameFS(o, old) {
			m.owned = append(m.owned[:i], m.owned[i+1:]...)
			return tea.Batch(cmd, m.xfer.closeWhenUnused(old))
		}
	}
	return cmd
}

// sameFS reports whether a and b are the same file system. Values of
// types that cannot be compared (which == would panic on) are never the
// same.
func sameFS(a, b transfer.FS) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	return ta == tb && ta.Comparable() && a == b
}

// closeFS returns a Cmd closing fsys when it is an io.Closer.
func closeFS(fsys transfer.FS) tea.Cmd {
	c, ok := fsys.(io.Closer)
	if !ok {
		return nil
	}
	return func() tea.Msg {
		_ = c.Close()
		return fsClosedMsg{}
	}
}

// handleAsk shows a question from the running attempt and listens for
// the next one.
func (h *hosts) handleAsk(msg askMsg) tea.Cmd {
	c := h.currentConnecting()
	if c == nil || c.ID() != msg.attempt {
		answerAsk(&msg.req, askReply{err: ErrCancelled})
		return nil
	}
	next := listenAsk(c.asker, c.ID())
	req := msg.req
	if req.kind == askWarn {
		c.Warn(text.Sanitize(req.prompt))
		return next
	}
	h.stack.removeAbove(c) // an earlier question of the attempt
	d := askDialog(h.ids.next(), h.keys, &req, "")
	if in, ok := d.(*inputDialog); ok {
		in.submit = submitAsk
	}
	h.stack.push(d)
	return next
}

// askDialog returns dialog id asking req: a yes-or-no confirmation or
// an input, masked for secrets. Its title is title, or when that is empty
// the question's first line. A yes-or-no answer goes to the Asker; an
// input's answer is its owner's (submit).
func askDialog(id uint64, keys *KeyMap, req *askRequest, title string) dialogBox {
	lines := promptLines(req.prompt)
	if req.kind == askHostKey {
		lines = []string{
			"The authenticity of host " + text.Sanitize(req.host) + " can't be established.",
			text.Sanitize(req.keyType) + " key fingerprint is",
			text.Sanitize(req.keyHash),
			"Are you sure you want to continue connecting?",
			"Type yes, no, or paste the fingerprint.",
		}
	}
	if title == "" {
		title, lines = lines[0], lines[1:]
	}
	if req.kind == askYesNo {
		d := &confirmDialog{Confirm: dialog.NewConfirm(id, title, lines, keys), ask: req, answer: func(yes bool) tea.Cmd {
			answerAsk(req, askReply{yes: yes})
			return nil
		}}
		d.Cancellable()
		return d
	}
	d := &inputDialog{Input: dialog.NewInput(id, title, "", keys), ask: req}
	d.SetLines(lines)
	if req.kind == askSecret || req.kind == askText && !req.echo {
		d.Mask()
	}
	return d
}

// promptLines splits a prompt from a server into sanitised lines, dropping
// blank ones; there is always at least one.
func promptLines(prompt string) []string {
	var out []string
	for _, l := range strings.Split(prompt, "\n") {
		if l = strings.TrimRight(l, "\r"); strings.TrimSpace(l) != "" {
			out = append(out, text.Sanitize(l))
		}
	}
	if len(out) == 0 {
		out = []string{"?"}
	}
	return out
}

// submitAsk answers a question from an Asker; the dialog then closes.
func submitAsk(d *inputDialog, value string) (tea.Cmd, bool) {
	reply, ok := askAnswer(d, value)
	if !ok {
		return nil, false
	}
	answerAsk(d.ask, reply)
	return nil, true
}

// askAnswer is the answer value given in d. A host key question takes
// yes, no, or the fingerprint itself; anything else is refused (ok false)
// with the reason shown in d.
func askAnswer(d *inputDialog, value string) (reply askReply, ok bool) {
	reply = askReply{text: value}
	if d.ask.kind == askHostKey {
		v := strings.TrimSpace(reply.text)
		switch {
		case strings.EqualFold(v, "yes"), v == d.ask.keyHash:
			reply.yes = true
		case strings.EqualFold(v, "no"):
		default:
			d.SetErr("please type yes, no, or the fingerprint")
			return reply, false
		}
	}
	return reply, true
}

// answerAsk sends the answer back to the waiting Asker. The reply channel
// holds one answer, so this never blocks.
func answerAsk(req *askRequest, r askReply) {
	if req == nil || req.reply == nil {
		return
	}
	select {
	case req.reply <- r:
	default:
	}
}
