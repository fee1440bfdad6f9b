// Package tui is ferry's terminal user interface: two file panes side by
// side, a transfer strip, a status line and a help bar, with dialogs, a
// file viewer and a host picker, built on Bubble Tea v2.
//
// The root Model is a router over components: the two panes (tui/pane)
// and an explicit stack of overlays: the host picker and the connecting
// screen (tui/picker), the viewer (tui/viewer), the queue view
// (tui/queue) and the dialogs (tui/dialog). Sizes go to every component;
// keys go to the background question when one is asked, else to the top
// of the stack, else to the live filter or the focused pane. A
// component's Update returns a typed result message (dialog.SubmitMsg,
// picker.PickMsg, queue.RetryMsg...) that names its owner by id, and the
// root acts on it; results of Cmds carry their request id and stale ones
// are dropped. A conflict of a copy waits for the panes or the queue view
// to be uncovered and is pushed when its event arrives or when what
// covered it closes. The root's helpers each own one concern with what
// they are lent: fileOps (mkdir, rename, chmod, delete, go to, view,
// edit), hosts (picker and connection attempts), transfers (the engine,
// all of whose calls are in engine.go), conns (reconnecting hosts) and
// questions (a reconnecting session's questions).
//
// The package never touches a disk or the network itself: every listing and
// every operation goes through a transfer.FS inside a tea.Cmd, everything
// that needs the operating system is injected through Options, and every
// string that came from a disk or a server passes through text.Sanitize
// before it is measured or drawn.
package tui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/dialog"
	"github.com/ferry-tui/ferry/tui/find"
	"github.com/ferry-tui/ferry/tui/logview"
	"github.com/ferry-tui/ferry/tui/marks"
	"github.com/ferry-tui/ferry/tui/pane"
	"github.com/ferry-tui/ferry/tui/picker"
	"github.com/ferry-tui/ferry/tui/queue"
	"github.com/ferry-tui/ferry/tui/viewer"
)

// Model is the root Bubble Tea model of the file manager. Create it with New;
// it implements tea.Model.
type Model struct {
	ctx    context.Context // parent of every request; cancelled on quit
	cancel context.CancelFunc
	opts   Options

	panes [2]pane.Model
	focus side

	keys      KeyMap
	styles    Styles
	help      help.Model
	helpLines int // lines the help bar takes
	status    status
	now       func() time.Time

	stack     stack     // dialogs, viewer, picker... over the panes, bottom first
	filter    filter    // the live filter of the focused pane
	xfer      transfers // the transfer engine's state as last seen
	ids       ids       // of dialog, viewer, delete and connect requests
	lastClick click
	owned     []transfer.FS // opened by Connect; closed once unused
	hosts     hosts         // the host picker and connection attempts
	ops       fileOps       // mkdir, rename, chmod, delete, go to, view, edit, copy
	conns     conns         // the connections of the panes' file systems
	questions questions     // background questions, over everything
	places    placeBook     // bookmarks and recent hosts

	width, height int
}

// New returns the root model for opts. It does no I/O: the first listings
// start from Init.
func New(opts Options) *Model {
	ctx, cancel := context.WithCancel(context.Background())
	m := &Model{
		ctx:       ctx,
		cancel:    cancel,
		opts:      opts,
		focus:     leftSide,
		keys:      common.DefaultKeyMap(),
		help:      help.New(),
		helpLines: 1,
		now:       opts.Now,
	}
	m.xfer = transfers{ctx: ctx, panes: &m.panes, status: &m.status, keys: &m.keys, engine: opts.Engine, overwrite: opts.OverwriteWithoutAsking}
	m.xfer.queue = queue.New(&m.keys)
	if m.now == nil {
		m.now = time.Now
	}
	m.status.log, m.status.now = &logview.Log{}, m.now
	m.conns = conns{now: m.now, keys: &m.keys}
	m.ops = fileOps{ctx: ctx, panes: &m.panes, focus: &m.focus, status: &m.status, keys: &m.keys, ids: &m.ids,
		opts: &m.opts, engine: opts.Engine, push: m.stack.push, closed: m.closed, top: m.stack.top}
	m.places.store = opts.Places
	m.hosts = hosts{ctx: ctx, ids: &m.ids, keys: &m.keys, opts: &m.opts, status: &m.status, stack: &m.stack,
		closed: m.closed, offer: m.offerConflict, replaceFS: m.replaceFSAt, places: &m.places,
		shown: m.shownFS}
	m.questions = questions{src: opts.Questions, ctx: ctx, status: &m.status, keys: &m.keys, ids: &m.ids}
	if opts.KeyMap != nil {
		m.keys = *opts.KeyMap
	}
	m.help.FullSeparator = "  "
	m.filter.input.Prompt = "/"
	m.filter.keys = &m.keys
	m.panes[leftSide] = pane.New(ctx, opts.Left, leftSide, &m.keys)
	m.panes[rightSide] = pane.New(ctx, opts.Right, rightSide, &m.keys)
	startView(&m.panes[leftSide], &m.opts)
	startView(&m.panes[rightSide], &m.opts)
	m.panes[leftSide].SetFocused(true)
	m.setStyles(stylesFor(&m.opts, true)) // until the terminal tells us its background
	return m
}

// Init asks the terminal for its background colour, starts listing both
// panes' start directories and, when there is no right-hand file system,
// opens the host picker for it. The engine's events are read from the
// first copy on; background questions (Options.Questions) from the start.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{
		tea.RequestBackgroundColor,
		m.places.load(),
		m.panes[leftSide].Load(m.opts.LeftDir, ""),
		m.panes[rightSide].Load(m.opts.RightDir, ""),
	}
	if m.opts.Right == nil {
		cmds = append(cmds, m.hosts.openPicker(rightSide))
	}
	if m.opts.OpenedHost != "" {
		cmds = append(cmds, m.places.remember(m.opts.OpenedHost))
	}
	cmds = append(cmds, m.conns.sync(&m.panes, m.ids.next), m.questions.listen())
	return tea.Batch(cmds...)
}

// Update handles one message and returns the next Cmd to run.
// Every message the status line showed meanwhile is appended to the
// messages log.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if w := m.writeLog(); w != nil {
		return m, tea.Batch(cmd, w)
	}
	return m, cmd
}

// update routes msg to its handler.
func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.handleResize(msg)
	case tea.BackgroundColorMsg:
		m.handleBackgroundColor(msg)
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.PasteMsg:
		return m.handlePaste(msg)
	case tea.MouseClickMsg:
		return m.handleClick(msg)
	case tea.MouseWheelMsg:
		return m.handleWheel(msg)
	case pane.LoadedMsg:
		return m.handleDirLoaded(msg)
	case pane.SortedMsg:
		if msg.Side().Valid() {
			m.panes[msg.Side()].HandleSorted(msg)
		}
	case opDoneMsg:
		return m.ops.handleOpDone(msg)
	case countedMsg:
		return m.ops.handleCounted(msg)
	case syncStartMsg:
		return m.ops.handleSyncStart(msg)
	case syncPlannedMsg:
		return m.ops.handleSyncPlanned(msg)
	case syncPreparedMsg:
		return m.xfer.handleSyncPrepared(m.ops.ctx, msg)
	case syncDoneMsg:
		return m.xfer.handleSyncDone(msg)
	case deletedMsg:
		return m.ops.handleDeleted(msg)
	case treeChangedMsg:
		return m.ops.handleTreeChanged(msg)
	case progressTickMsg:
		return progressTick(m.stack.top(), msg)
	case viewer.LoadedMsg:
		return m.ops.handleViewerLoaded(msg)
	case viewer.CloseMsg:
		return m.ops.handleViewerClosed(msg)
	case completionMsg:
		m.ops.handleCompletion(msg)
	case dialog.SubmitMsg:
		return m.handleSubmit(msg)
	case dialog.CancelMsg:
		return m.handleCancel(msg)
	case dialog.CompleteMsg:
		return m.ops.complete(msg)
	case dialog.ConfirmedMsg:
		return m.handleConfirmed(msg)
	case dialog.StopMsg:
		if d, ok := topIs[*progressDialog](&m.stack); ok && d.ID() == msg.ID {
			d.cancel() // the delete stops; its result closes the dialog
		}
	case picker.HostsMsg:
		m.hosts.handleHostsLoaded(msg)
	case picker.PickMsg:
		return m.hosts.handlePick(msg)
	case picker.CloseMsg:
		return m.hosts.handlePickerClosed(msg)
	case picker.CancelMsg:
		return m.hosts.handleConnectCancel(msg)
	case connectDoneMsg:
		return m.hosts.handleConnectDone(msg)
	case askMsg:
		return m.hosts.handleAsk(msg)
	case EditDoneMsg:
		return m.ops.handleEditDone(msg)
	case connStateMsg:
		m.noteConn(msg.state)
		return m.conns.handle(msg, &m.panes, &m.status)
	case connTickMsg:
		return m.conns.handleTick()
	case questionMsg:
		return m.questions.handle(msg)
	case questionGoneMsg:
		return m.questions.gone(msg)
	default:
		return m.updateFinding(msg)
	}
	return nil
}

// updateFinding routes the messages of find, bookmarks and the log, then
// hands the rest to updateTransfers.
func (m *Model) updateFinding(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case find.StartMsg:
		return m.handleFindStart(msg)
	case find.ResultsMsg:
		return m.handleFindResults(msg)
	case find.GoMsg:
		return m.handleFindGo(msg)
	case find.CloseMsg:
		return m.handleFindClose(msg)
	case logview.CloseMsg:
		return m.handleLogClose(msg)
	case logFailedMsg:
		m.handleLogFailed(msg)
		return nil
	case placesLoadedMsg:
		return m.handlePlacesLoaded(msg)
	case placesSavedMsg:
		return m.places.handleSaved(msg, &m.status)
	case marks.JumpMsg:
		return m.handleMarksJump(msg)
	case marks.RenameMsg:
		return m.handleMarksRename(msg)
	case marks.DeleteMsg:
		return m.handleMarksDelete(msg)
	case marks.CloseMsg:
		return m.handleMarksClose(msg)
	}
	return m.updateTransfers(msg)
}

// updateTransfers routes the messages of copies, moves and the engine.
func (m *Model) updateTransfers(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case copyPreparedMsg:
		return tea.Batch(m.xfer.handlePrepared(msg), m.pollTransfers())
	case transferEventsMsg:
		m.noteTransfers(msg.events)
		return tea.Batch(m.xfer.handleEvents(msg), m.pollTransfers(), m.offerConflict())
	case stripTickMsg:
		m.xfer.ticking = false
		return m.pollTransfers()
	case refreshTickMsg:
		return m.xfer.handleRefreshTick()
	case dialog.ReadyMsg:
		if d, ok := findOverlay[*conflictDialog](&m.stack); ok {
			d.Update(msg)
		}
	case dialog.ConflictAnsweredMsg:
		return m.handleConflictAnswered(msg)
	}
	return nil
}

// handleResize remembers the window size and lays the screen out again.
func (m *Model) handleResize(msg tea.WindowSizeMsg) {
	m.width, m.height = max(msg.Width, 0), max(msg.Height, 0)
	m.layout()
	m.refreshQueueView()
}

// layout gives both panes their share of the window: the panes split the
// width around a one-column separator, above the transfer strip, the status
// line and the help bar.
func (m *Model) layout() {
	m.help.SetWidth(m.width)
	m.helpLines = 1
	if m.help.ShowAll {
		m.helpLines = common.CountLines(m.help.FullHelpView(m.fullHelp()))
	}
	bodyHeight := max(m.height-m.footerLines(), 0)
	leftWidth := max(m.width-1, 0) / 2
	rightWidth := max(m.width-1-leftWidth, 0)
	m.panes[leftSide].SetSize(leftWidth, bodyHeight)
	m.panes[rightSide].SetSize(rightWidth, bodyHeight)
	m.filter.input.SetWidth(max(m.width-2, 1))
	m.stack.setSize(m.width, bodyHeight)
	m.questions.setSize(m.width, bodyHeight)
}

// footerLines is how many lines sit below the panes.
func (m *Model) footerLines() int {
	n := 1 + m.helpLines // status and help
	if m.xfer.shown {
		n++ // the transfer strip
	}
	return n
}

// bodyHeight is how many lines the panes or a full-screen overlay get.
func (m *Model) bodyHeight() int { return m.panes[leftSide].Height() }

// handleBackgroundColor rebuilds the styles for a dark or light terminal.
func (m *Model) handleBackgroundColor(msg tea.BackgroundColorMsg) {
	m.setStyles(stylesFor(&m.opts, msg.IsDark()))
}

// stylesFor returns the styles opts asks for on a dark or light
// background: its Theme, the default theme, or the colourless ones when
// NoColor is set.
func stylesFor(opts *Options, isDark bool) Styles {
	switch {
	case opts.NoColor:
		return common.MonoStyles()
	case opts.Theme != nil:
		return common.NewStyles(*opts.Theme)
	case opts.ThemeFor != nil:
		return common.NewStyles(opts.ThemeFor(isDark))
	}
	return common.DefaultStyles(isDark)
}

// handleDirLoaded routes a listing to the pane that asked for it and shows
// its error, if any. A listing whose connection dropped under it is asked
// for again once; one that failed because its connection is down is left
// to the connection line, and the pane is listed again when the
// connection is back.
func (m *Model) handleDirLoaded(msg pane.LoadedMsg) tea.Cmd {
	if !msg.Side().Valid() {
		return nil
	}
	p := &m.panes[msg.Side()]
	if p.Latest(msg) && msg.Err() != nil && connLost(msg.Err()) && m.conns.of(p.FS()) != nil {
		// The connection dropped under the listing: ask again, once.
		// The new request waits for the session to reconnect.
		if cmd, ok := p.RetryOnce(); ok {
			return cmd
		}
	}
	cmd, err := p.HandleLoaded(msg)
	if err != nil && !m.conns.explains(p) {
		m.status.setError(err)
	}
	return cmd
}

// quit cancels every running request and transfer and ends the program.
func (m *Model) quit() tea.Cmd {
	for i := range m.panes {
		m.panes[i].Close()
	}
	m.xfer.cancelAll()
	m.conns.stopAll()
	m.questions.cancelAll()
	m.cancel()
	return tea.Quit
}

// setFocus gives the keys to the pane on side s.
func (m *Model) setFocus(s side) {
	m.focus = s
	m.panes[leftSide].SetFocused(s == leftSide)
	m.panes[rightSide].SetFocused(s == rightSide)
}

// focused returns the pane with the focus.
func (m *Model) focused() *pane.Model { return &m.panes[m.focus] }

// setStyles installs st everywhere it is used.
func (m *Model) setStyles(st Styles) {
	m.styles = st
	m.help.Styles = st.Help
}

// ids hands out request ids, so that a late result can tell it is stale.
type ids struct{ last uint64 }

// next returns a fresh id.
func (g *ids) next() uint64 {
	g.last++
	return g.last
}
