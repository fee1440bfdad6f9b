package tui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
)

// conflictGrace is how long a conflict dialog that popped up ignores
// keys, so that a key typed for the file list cannot answer it.
const conflictGrace = 300 * time.Millisecond

// conflictTimeLayout shows modification times to the second.
const conflictTimeLayout = "2006-01-02 15:04:05"

// conflictDialog asks what to do with a destination that exists. It shows
// the first waiting conflict; answered ones make way for the next.
type conflictDialog struct {
	cur    pendingConflict
	more   int            // conflicts waiting behind this one
	forAll bool           // the next answer applies to the whole batch
	ready  bool           // the grace period is over
	id     uint64         // of the grace tick
	loc    *time.Location // times are shown in it
	km     *KeyMap        // the model's keys, for the choices shown
}

// conflictReadyMsg ends the grace period of dialog id.
type conflictReadyMsg struct{ id uint64 }

// choice is one answer and the bindings that give it.
type choice struct {
	one, all key.Binding
	policy   transfer.Policy
}

// choices lists the answers in the order shown.
func choices(k *KeyMap) []choice {
	return []choice{
		{k.ConflictOverwrite, k.ConflictOverwriteAll, transfer.Overwrite},
		{k.ConflictSkip, k.ConflictSkipAll, transfer.Skip},
		{k.ConflictResume, k.ConflictResumeAll, transfer.Resume},
		{k.ConflictRename, k.ConflictRenameAll, transfer.Rename},
		{k.ConflictNewer, k.ConflictNewerAll, transfer.Newer},
	}
}

// Help returns the dialog's bindings for the help bar.
func (d *conflictDialog) Help() help.KeyMap {
	k := d.km
	b := common.Bindings{}
	for _, c := range choices(k) {
		b = append(b, c.one)
	}
	return append(b, k.ConflictForAll)
}

// Box renders the question with both sides and the choices from the
// key map.
func (d *conflictDialog) Box(st *Styles, maxWidth int) []string {
	inner := common.DialogInner(maxWidth + 2)
	c := &d.cur.c
	srcNewer, dstNewer := "", ""
	switch {
	case c.SrcTime.Unix() > c.DstTime.Unix():
		srcNewer = "  (newer)"
	case c.DstTime.Unix() > c.SrcTime.Unix():
		dstNewer = "  (newer)"
	}
	const indent = "            "
	plain := []string{
		"",
		"copy from   " + common.FitLeft(d.cur.srcLabel+":"+text.Sanitize(c.Src), inner-len(indent)),
		indent + conflictSide(c.SrcSize, c.SrcTime, d.loc) + srcNewer,
		"over        " + common.FitLeft(d.cur.dstLabel+":"+text.Sanitize(c.Dst), inner-len(indent)),
		indent + conflictSide(c.DstSize, c.DstTime, d.loc) + dstNewer,
		"",
	}
	title := text.Sanitize(baseName(c.Dst)) + " already exists"
	if c.Partial {
		plain[3] = "partial     " + common.FitLeft(d.cur.dstLabel+":"+text.Sanitize(c.Dst), inner-len(indent))
		plain[4] = indent + conflictSide(c.DstSize, c.DstTime, d.loc) + " copied before it was interrupted"
		title = text.Sanitize(baseName(c.Dst)) + ": a partial copy exists"
	}
	var ones, alls []string
	for _, ch := range choices(d.km) {
		ones = append(ones, ch.one.Help().Key+" "+ch.one.Help().Desc)
		alls = append(alls, ch.all.Help().Key)
	}
	plain = append(plain, common.WrapWords(ones, "   ", inner)...)
	check := "[ ]"
	if d.forAll {
		check = "[x]"
	}
	plain = append(plain, check+" "+d.km.ConflictForAll.Help().Key+": for all conflicts of this copy (or "+strings.Join(alls, " ")+")")
	body := []string{st.DialogTitle.Render(common.Fit(title, inner))}
	for _, l := range plain {
		body = append(body, common.Fit(l, inner))
	}
	if d.more > 0 {
		body = append(body, st.Hint.Render(common.Fit(text.Plural(d.more, "more conflict")+" waiting", inner)))
	}
	return common.Frame(st, body, inner)
}

// conflictSide describes one side: its size and modification time.
func conflictSide(size int64, t time.Time, loc *time.Location) string {
	s := text.Bytes(size)
	if size >= 1024 {
		s += " (" + text.Plural(int(size), "byte") + ")"
	}
	if !t.IsZero() {
		if loc != nil {
			t = t.In(loc)
		}
		s += ", " + t.Format(conflictTimeLayout)
	}
	return s
}

// baseName is the last element of a path with either separator.
func baseName(p string) string {
	trimmed := strings.TrimRight(p, `/\`)
	if trimmed == "" {
		return p
	}
	if i := strings.LastIndexAny(trimmed, `/\`); i >= 0 {
		return trimmed[i+1:]
	}
	return trimmed
}

// offerConflict keeps the conflict dialog in step with the waiting
// conflicts: it shows the first, closes when none is left, and pops up
// over the panes or the queue view when a conflict arrives. Other
// overlays are left alone; the conflict waits until they close. It is
// called where the conflicts change and where an overlay closes.
func (m *Model) offerConflict() tea.Cmd {
	x := &m.xfer
	if d, ok := findOverlay[*conflictDialog](m); ok {
		if len(x.conflicts) == 0 {
			m.closeOverlay(d)
			return nil
		}
		d.cur, d.more = x.conflicts[0], len(x.conflicts)-1
		return nil
	}
	if len(x.conflicts) == 0 || m.filtering {
		return nil
	}
	switch m.top().(type) {
	case nil, *queueView:
	default:
		return nil
	}
	d := &conflictDialog{cur: x.conflicts[0], more: len(x.conflicts) - 1, id: m.newID(),
		loc: m.now().Location(), km: &m.keys}
	m.push(d)
	id := d.id
	return tea.Tick(conflictGrace, func(time.Time) tea.Msg { return conflictReadyMsg{id: id} })
}

// handleConflictReady lets the dialog take keys.
func (m *Model) handleConflictReady(msg conflictReadyMsg) {
	if d, ok := findOverlay[*conflictDialog](m); ok && d.id == msg.id {
		d.ready = true
	}
}

// handleConflictKey answers the conflict shown.
func (m *Model) handleConflictKey(d *conflictDialog, msg tea.KeyPressMsg) tea.Cmd {
	if !d.ready {
		return nil
	}
	if key.Matches(msg, m.keys.ConflictForAll) {
		d.forAll = !d.forAll
		return nil
	}
	for _, c := range choices(&m.keys) {
		switch {
		case key.Matches(msg, c.one):
			return m.answerConflict(d, c.policy, d.forAll)
		case key.Matches(msg, c.all):
			return m.answerConflict(d, c.policy, true)
		}
	}
	return nil
}

// answerConflict gives the engine the answer and moves on.
func (m *Model) answerConflict(d *conflictDialog, p transfer.Policy, forAll bool) tea.Cmd {
	x := &m.xfer
	cur := d.cur
	err := x.engine.Answer(cur.job, transfer.Answer{Choice: p, ForAll: forAll})
	x.dropConflicts(func(c pendingConflict) bool {
		return c.job == cur.job || forAll && err == nil && c.batch == cur.batch
	})
	d.forAll = false
	if err != nil {
		m.status.setError(err)
	}
	return tea.Batch(m.pollTransfers(), m.offerConflict())
}
