package find

import (
	"context"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
)

// Interval is how often a running search reports its news.
const Interval = 100 * time.Millisecond

// StartMsg asks the root to start a search for Pattern in the overlay
// ID's directory (see Run), stopping any running one.
type StartMsg struct {
	// ID is the overlay's.
	ID uint64
	// Pattern is what was typed.
	Pattern string
}

// ResultsMsg carries a batch of a running search to overlay ID.
type ResultsMsg struct {
	// ID is the overlay's.
	ID uint64
	// Run is the search's, so that a stopped search's news is dropped.
	Run uint64
	// Batch is the news.
	Batch Batch
	ch    <-chan Batch
}

// GoMsg is the overlay's result when the user chose a match: show Dir in
// the pane on Side with the cursor on Name.
type GoMsg struct {
	// ID is the overlay's.
	ID uint64
	// Side is the pane the search ran in.
	Side common.Side
	// Dir is the directory to show.
	Dir string
	// Name is the entry to put the cursor on.
	Name string
}

// CloseMsg is the overlay's result when the user left it.
type CloseMsg struct {
	// ID is the overlay's.
	ID uint64
}

// state is where the overlay is: typing the pattern, or a search
// running or ended.
type state int

const (
	typing state = iota
	running
	ended
)

// Model is the find overlay: a pattern input, then the matches of a
// search as they stream in, with a cursor.
type Model struct {
	id    uint64
	side  common.Side
	label string // sanitised "host:/dir"
	root  string // raw directory searched
	sep   string
	keys  *common.KeyMap

	input   common.LineInput
	state   state
	run     uint64
	cancel  context.CancelFunc
	started time.Time
	took    time.Duration

	matches []Match
	shown   []string // sanitised paths under root, by match
	cursor  int
	dirs    int
	failed  int
	full    bool
	stopped bool // the user stopped the search
	height  int
}

// New returns find overlay id for the pane on side, searching under root
// on a file system labelled label and using separator sep.
func New(id uint64, side common.Side, label, root, sep string, keys *common.KeyMap) *Model {
	f := &Model{id: id, side: side, root: root, sep: sep, keys: keys,
		label: text.Sanitize(label) + ":" + text.Sanitize(root)}
	f.input.Prompt = "name: "
	f.input.Placeholder = "part of a name, or a glob such as *.log (any case)"
	return f
}

// ID returns the overlay's id.
func (f *Model) ID() uint64 { return f.id }

// Side returns the pane searched.
func (f *Model) Side() common.Side { return f.side }

// Root returns the directory searched, raw.
func (f *Model) Root() string { return f.root }

// Running reports whether a search is running.
func (f *Model) Running() bool { return f.state == running }

// Stopped reports whether the user stopped the search before it ended.
func (f *Model) Stopped() bool { return f.stopped }

// Matches returns the matches so far, in the order found.
func (f *Model) Matches() []Match { return f.matches }

// Dirs returns how many directories the search listed.
func (f *Model) Dirs() int { return f.dirs }

// SetSize fits the input to a window width cells wide.
func (f *Model) SetSize(width, height int) {
	f.input.SetWidth(max(width-ansi.StringWidth(f.input.Prompt)-2, 1))
	f.height = height
}

// Begin records that a search for the pattern typed starts now, stopped
// by cancel, and returns its run number for Run.
func (f *Model) Begin(cancel context.CancelFunc, now time.Time) uint64 {
	f.Stop()
	f.run++
	f.cancel, f.state, f.started = cancel, running, now
	f.matches, f.shown, f.cursor = nil, nil, 0
	f.dirs, f.failed, f.full, f.stopped = 0, 0, false, false
	return f.run
}

// Stop cancels the running search, if any; the matches stay.
func (f *Model) Stop() {
	if f.cancel != nil {
		f.cancel()
		f.cancel = nil
	}
	if f.state == running {
		f.state, f.stopped = ended, true
	}
}

// Run returns the Cmd that walks root on fsys for pattern and brings the
// first batch, for overlay id's search run.
func Run(ctx context.Context, fsys transfer.FS, root, pattern string, id, run uint64) tea.Cmd {
	return func() tea.Msg {
		ch := Walk(ctx, fsys, root, NewMatcher(pattern), DefaultWorkers, Interval)
		return next(ch, id, run)
	}
}

// next waits for the next batch on ch.
func next(ch <-chan Batch, id, run uint64) tea.Msg {
	b, ok := <-ch
	if !ok {
		b.Done = true // cancelled: the walk ended without a last batch
	}
	return ResultsMsg{ID: id, Run: run, Batch: b, ch: ch}
}

// HandleResults adds a batch of the running search and returns the Cmd
// that waits for the next one; a stopped or replaced search's batch is
// dropped. now times the search.
func (f *Model) HandleResults(msg ResultsMsg, now time.Time) tea.Cmd {
	if msg.Run != f.run || f.state != running {
		return nil
	}
	b := msg.Batch
	f.matches = append(f.matches, b.Matches...)
	for _, m := range b.Matches {
		f.shown = append(f.shown, f.relative(m))
	}
	f.dirs, f.failed, f.full = b.Dirs, b.Failed, b.Full
	if b.Done {
		f.state, f.took = ended, now.Sub(f.started)
		if f.cancel != nil {
			f.cancel()
			f.cancel = nil
		}
		return nil
	}
	ch, id, run := msg.ch, f.id, f.run
	return func() tea.Msg { return next(ch, id, run) }
}

// relative is m's path under the root, sanitised, a directory's with a
// trailing separator.
func (f *Model) relative(m Match) string {
	dir := strings.TrimPrefix(strings.TrimPrefix(m.Dir, f.root), f.sep)
	p := m.Name
	if dir != "" {
		p = dir + f.sep + m.Name
	}
	if m.IsDir {
		p += f.sep
	}
	return text.Sanitize(p)
}

// Help returns the overlay's bindings for the help bar.
func (f *Model) Help() help.KeyMap {
	if f.state == typing {
		return common.Bindings{withHelp(f.keys.Submit, "search"), f.keys.Cancel}
	}
	esc := withHelp(f.keys.Cancel, "close")
	if f.state == running {
		esc = withHelp(f.keys.Cancel, "stop")
	}
	return common.Bindings{
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose")),
		withHelp(f.keys.Submit, "go there"), withHelp(f.keys.Filter, "new search"), esc,
	}
}

// withHelp is b with another description.
func withHelp(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}

// Update handles a key or a paste: typing the pattern and starting the
// search (StartMsg), then moving among the matches, going to one (GoMsg),
// stopping the search and closing (CloseMsg).
func (f *Model) Update(msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if f.state == typing {
			return f.handleTyping(msg)
		}
		return f.handleList(msg)
	case tea.PasteMsg:
		if f.state == typing {
			f.input.Update(msg)
		}
	}
	return nil
}

// handleTyping handles a key while the pattern is typed.
func (f *Model) handleTyping(msg tea.KeyPressMsg) tea.Msg {
	switch {
	case key.Matches(msg, f.keys.Cancel):
		f.Stop()
		return CloseMsg{ID: f.id}
	case key.Matches(msg, f.keys.Submit):
		p := strings.TrimSpace(f.input.Value())
		if p == "" {
			return nil
		}
		return StartMsg{ID: f.id, Pattern: p}
	}
	f.input.Update(msg)
	return nil
}

// handleList handles a key while the matches are shown.
func (f *Model) handleList(msg tea.KeyPressMsg) tea.Msg {
	k := f.keys
	n := len(f.matches)
	page := max(f.rows(), 1)
	switch {
	case key.Matches(msg, k.Cancel):
		if f.state == running {
			f.Stop()
			return nil
		}
		return CloseMsg{ID: f.id}
	case key.Matches(msg, k.Submit):
		if f.cursor < n {
			m := f.matches[f.cursor]
			f.Stop()
			return GoMsg{ID: f.id, Side: f.side, Dir: m.Dir, Name: m.Name}
		}
	case key.Matches(msg, k.Filter):
		f.Stop()
		f.state = typing
	case key.Matches(msg, k.Up):
		f.cursor--
	case key.Matches(msg, k.Down):
		f.cursor++
	case key.Matches(msg, k.PageUp):
		f.cursor -= page
	case key.Matches(msg, k.PageDown):
		f.cursor += page
	case key.Matches(msg, k.Top):
		f.cursor = 0
	case key.Matches(msg, k.Bottom):
		f.cursor = n - 1
	}
	f.cursor = max(min(f.cursor, n-1), 0)
	return nil
}

// rows is how many matches fit under the header lines.
func (f *Model) rows() int { return f.height - 3 }

// summary is the line under the input: progress, or how it ended.
func (f *Model) summary() string {
	s := plural(len(f.matches), "match", "matches") + " in " + plural(f.dirs, "directory", "directories")
	if f.failed > 0 {
		s += ", " + plural(f.failed, "directory", "directories") + " not readable"
	}
	switch {
	case f.state == running:
		return " searching… " + s + "  (" + f.keys.Cancel.Help().Key + " stops)"
	case f.full:
		return " stopped at " + s + ": too many matches; narrow the pattern"
	case f.stopped:
		return " stopped: " + s
	}
	return " done: " + s + " in " + f.took.Round(time.Millisecond).String()
}

// plural is "1 match" or "3 matches".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Screen renders the overlay: a title, the input, a summary line and the
// matches.
func (f *Model) Screen(st *common.Styles, width, height int) string {
	lines := make([]string, 0, height)
	lines = append(lines, st.HeaderFocused.Render(common.Fit(" Find under "+f.label, width)))
	if f.state == typing {
		lines = append(lines, common.FitStyled(" "+f.input.View(&st.Input), width))
		lines = append(lines, st.Hint.Render(common.Fit(" "+f.keys.Submit.Help().Key+" searches every directory below, "+f.keys.Cancel.Help().Key+" closes", width)))
	} else {
		lines = append(lines, st.Meta.Render(common.Fit(" "+f.input.Prompt+f.input.Value(), width)))
		lines = append(lines, st.Hint.Render(common.Fit(f.summary(), width)))
	}
	rows := height - len(lines)
	if rows > 0 && f.state != typing {
		offset := max(f.cursor-rows+1, 0)
		end := min(offset+rows, len(f.shown))
		for i := offset; i < end; i++ {
			line := common.Fit(" "+f.shown[i], width)
			switch {
			case i == f.cursor:
				lines = append(lines, st.Cursor.Render(line))
			case f.matches[i].IsDir:
				lines = append(lines, st.Dir.Render(line))
			default:
				lines = append(lines, st.File.Render(line))
			}
		}
	}
	return common.PadLines(lines, width, height)
}
