package dialog

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

// Grace is how long a conflict dialog that popped up ignores keys, so
// that a key typed for the file list cannot answer it.
const Grace = 300 * time.Millisecond

// conflictTimeLayout shows modification times to the second.
const conflictTimeLayout = "2006-01-02 15:04:05"

// ConflictAnsweredMsg is a Conflict dialog's result: the user chose
// Policy for the conflict shown, and with ForAll for every conflict of
// its copy.
type ConflictAnsweredMsg struct {
	// ID is the dialog's.
	ID uint64
	// Policy is the answer.
	Policy transfer.Policy
	// ForAll applies it to the whole batch.
	ForAll bool
}

// ReadyMsg ends the grace period of Conflict dialog ID.
type ReadyMsg struct {
	// ID is the dialog's.
	ID uint64
}

// Conflict asks what to do with a destination that exists. It shows one
// conflict, and how many more wait behind it; the root shows the next
// with Show once one is answered.
type Conflict struct {
	id       uint64
	keys     *common.KeyMap
	c        transfer.Conflict
	src, dst string         // labels of both sides, sanitised
	more     int            // conflicts waiting behind this one
	forAll   bool           // the next answer applies to the whole batch
	ready    bool           // the grace period is over
	loc      *time.Location // times are shown in it
}

// NewConflict returns conflict dialog id, which shows times in loc. It
// takes keys once its Ready Cmd has fired.
func NewConflict(id uint64, loc *time.Location, keys *common.KeyMap) *Conflict {
	return &Conflict{id: id, keys: keys, loc: loc}
}

// Ready returns the Cmd that ends the grace period of dialog id.
func Ready(id uint64) tea.Cmd {
	return tea.Tick(Grace, func(time.Time) tea.Msg { return ReadyMsg{ID: id} })
}

// ID returns the dialog's id.
func (d *Conflict) ID() uint64 { return d.id }

// IsReady reports whether the grace period is over.
func (d *Conflict) IsReady() bool { return d.ready }

// Show asks about c, copied from the file system labelled src to the one
// labelled dst (both sanitised), with more conflicts waiting.
func (d *Conflict) Show(c transfer.Conflict, src, dst string, more int) {
	d.c, d.src, d.dst, d.more = c, src, dst, more
}

// choice is one answer and the bindings that give it.
type choice struct {
	one, all key.Binding
	policy   transfer.Policy
}

// choices lists the answers in the order shown.
func choices(k *common.KeyMap) []choice {
	return []choice{
		{k.ConflictOverwrite, k.ConflictOverwriteAll, transfer.Overwrite},
		{k.ConflictSkip, k.ConflictSkipAll, transfer.Skip},
		{k.ConflictResume, k.ConflictResumeAll, transfer.Resume},
		{k.ConflictRename, k.ConflictRenameAll, transfer.Rename},
		{k.ConflictNewer, k.ConflictNewerAll, transfer.Newer},
	}
}

// Help returns the dialog's bindings for the help bar.
func (d *Conflict) Help() help.KeyMap {
	b := common.Bindings{}
	for _, c := range choices(d.keys) {
		b = append(b, c.one)
	}
	return append(b, d.keys.ConflictForAll)
}

// Update ends the grace period on its ReadyMsg and, once ready, answers:
// a choice's key returns a ConflictAnsweredMsg, the ConflictForAll key
// toggles whether the next one applies to the whole copy.
func (d *Conflict) Update(msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case ReadyMsg:
		if msg.ID == d.id {
			d.ready = true
		}
	case tea.KeyPressMsg:
		if !d.ready {
			return nil
		}
		if key.Matches(msg, d.keys.ConflictForAll) {
			d.forAll = !d.forAll
			return nil
		}
		for _, c := range choices(d.keys) {
			switch {
			case key.Matches(msg, c.one):
				forAll := d.forAll
				d.forAll = false
				return ConflictAnsweredMsg{ID: d.id, Policy: c.policy, ForAll: forAll}
			case key.Matches(msg, c.all):
				d.forAll = false
				return ConflictAnsweredMsg{ID: d.id, Policy: c.policy, ForAll: true}
			}
		}
	}
	return nil
}

// Box renders the question with both sides and the choices from the
// key map, as wide as the paths need within the window (maxWidth+2 cells
// wide), wrapping the rest.
func (d *Conflict) Box(st *common.Styles, maxWidth int) []string {
	c := &d.c
	const indent = "            "
	inner := common.DialogFit(maxWidth+2, len(indent)+common.Widest(d.src+":"+text.Sanitize(c.Src), d.dst+":"+text.Sanitize(c.Dst)))
	srcNewer, dstNewer := "", ""
	switch {
	case c.SrcTime.Unix() > c.DstTime.Unix():
		srcNewer = "  (newer)"
	case c.DstTime.Unix() > c.SrcTime.Unix():
		dstNewer = "  (newer)"
	}
	plain := []string{
		"",
		"copy from   " + common.FitLeft(d.src+":"+text.Sanitize(c.Src), inner-len(indent)),
		indent + conflictSide(c.SrcSize, c.SrcTime, d.loc) + srcNewer,
		"over        " + common.FitLeft(d.dst+":"+text.Sanitize(c.Dst), inner-len(indent)),
		indent + conflictSide(c.DstSize, c.DstTime, d.loc) + dstNewer,
		"",
	}
	title := text.Sanitize(BaseName(c.Dst)) + " already exists"
	if c.Partial {
		plain[3] = "partial     " + common.FitLeft(d.dst+":"+text.Sanitize(c.Dst), inner-len(indent))
		plain[4] = indent + conflictSide(c.DstSize, c.DstTime, d.loc) + " copied before it was interrupted"
		title = text.Sanitize(BaseName(c.Dst)) + ": a partial copy exists"
	}
	var ones, alls []string
	for _, ch := range choices(d.keys) {
		ones = append(ones, ch.one.Help().Key+" "+ch.one.Help().Desc)
		alls = append(alls, ch.all.Help().Key)
	}
	plain = append(plain, common.WrapWords(ones, "   ", inner)...)
	check := "[ ]"
	if d.forAll {
		check = "[x]"
	}
	plain = append(plain, check+" "+d.keys.ConflictForAll.Help().Key+": for all conflicts of this copy (or "+strings.Join(alls, " ")+")")
	var body []string
	for _, l := range common.Wrap(title, inner) {
		body = append(body, st.DialogTitle.Render(common.Fit(l, inner)))
	}
	for _, l := range common.WrapAll(plain, inner) {
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

// BaseName is the last element of a path with either separator.
func BaseName(p string) string {
	trimmed := strings.TrimRight(p, `/\`)
	if trimmed == "" {
		return p
	}
	if i := strings.LastIndexAny(trimmed, `/\`); i >= 0 {
		return trimmed[i+1:]
	}
	return trimmed
}
