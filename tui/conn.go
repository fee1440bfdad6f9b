package tui

import (
	"errors"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/pane"
)

// ConnStatus is the state of a file system's connection.
type ConnStatus int

// The states of a connection, in the order a lost one goes through them:
// up, lost, reconnecting (once per attempt), then back or failed. After
// failed, the next call on the file system (a listing asked for with the
// Refresh key, say) starts another round of attempts. Closed is final.
const (
	// ConnUp is the first connection, up.
	ConnUp ConnStatus = iota
	// ConnLost means the connection has ended; Err says why.
	ConnLost
	// ConnReconnecting means attempt Attempt of MaxAttempts starts at At;
	// Err is why the previous attempt failed, nil for the first.
	ConnReconnecting
	// ConnFailed means reconnecting was given up after Attempt attempts;
	// Err says why.
	ConnFailed
	// ConnBack means a new connection is up.
	ConnBack
	// ConnClosed means the file system was closed.
	ConnClosed
)

// down reports whether s is a state in which the file system cannot be
// used until it reconnects.
func (s ConnStatus) down() bool {
	return s == ConnLost || s == ConnReconnecting || s == ConnFailed
}

// ConnState is a change in the state of a file system's connection, as
// the UI shows it. Its strings come from the server or the network and are
// sanitised before they are drawn.
type ConnState struct {
	// Status is the new state.
	Status ConnStatus
	// Host names the host, as the file system's Label does; empty means
	// the Label.
	Host string
	// Attempt and MaxAttempts count the reconnect attempts of this round
	// (ConnReconnecting, ConnFailed).
	Attempt, MaxAttempts int
	// At is when the attempt starts (ConnReconnecting), so that the UI
	// can count down to it.
	At time.Time
	// Err is why the connection was lost (ConnLost), why the previous
	// attempt failed (ConnReconnecting), or why reconnecting was given up
	// (ConnFailed).
	Err error
	// Stopped says that the user stopped the attempts (ConnFailed), with
	// the StopReconnect key of a file system that is a ReconnectStopper.
	Stopped bool
}

// ConnWatcher is implemented by a file system whose connection can drop
// and come back by itself (cmd/ferry wraps remote.FS in one). WatchConn
// returns a channel of the connection's state changes, starting with the
// current state, and a function that stops them and closes the channel.
// The UI watches every such file system a pane shows: it tells the user
// while the host is down, and lists the panes again when it is back.
// WatchConn is called from Update and must not block; the file system
// must not wait for the UI to read either: a reader that falls behind
// should lose old states, never the latest.
type ConnWatcher interface {
	WatchConn() (<-chan ConnState, func())
}

// connWatch is the model's view of one watched file system.
type connWatch struct {
	id    uint64
	fs    transfer.FS
	ch    <-chan ConnState // read by listenConn, one Cmd at a time
	stop  func()
	state ConnState
	// retrying is set when the user asked for a listing while the
	// session had given up: the listing makes it dial again.
	retrying bool
}

// host names the watched host, sanitised.
func (w *connWatch) host() string {
	if w.state.Host != "" {
		return text.Sanitize(w.state.Host)
	}
	return text.Sanitize(w.fs.Label())
}

// down reports whether the watched connection is not usable now.
func (w *connWatch) down() bool { return w.state.Status.down() || w.retrying }

// connStateMsg carries one state change of a watched file system.
type connStateMsg struct {
	id     uint64 // the watch
	state  ConnState
	closed bool // the channel was closed: the watch is over
}

// connTickMsg redraws the reconnect countdown.
type connTickMsg struct{}

// listenConn returns a Cmd that waits for the next state change on ch.
func listenConn(id uint64, ch <-chan ConnState) tea.Cmd {
	return func() tea.Msg {
		st, ok := <-ch
		return connStateMsg{id: id, state: st, closed: !ok}
	}
}

// syncConnWatches watches every file system the panes show that can
// report its connection, and stops watching the ones no pane shows any
// more. It returns the Cmds that read the new watches.
func (m *Model) syncConnWatches() tea.Cmd {
	kept := m.conns[:0]
	for _, w := range m.conns {
		if m.shown(w.fs) {
			kept = append(kept, w)
			continue
		}
		w.stop()
	}
	clear(m.conns[len(kept):])
	m.conns = kept
	var cmds []tea.Cmd
	for i := range m.panes {
		fsys := m.panes[i].FS()
		cw, ok := fsys.(ConnWatcher)
		if !ok || m.watchOf(fsys) != nil {
			continue
		}
		ch, stop := cw.WatchConn()
		w := &connWatch{id: m.newID(), fs: fsys, ch: ch, stop: stop}
		m.conns = append(m.conns, w)
		cmds = append(cmds, listenConn(w.id, ch))
	}
	m.markPanesConn()
	return tea.Batch(cmds...)
}

// shown reports whether a pane shows fsys.
func (m *Model) shown(fsys transfer.FS) bool {
	return sameFS(m.panes[leftSide].FS(), fsys) || sameFS(m.panes[rightSide].FS(), fsys)
}

// watchOf returns the watch of fsys, or nil.
func (m *Model) watchOf(fsys transfer.FS) *connWatch {
	for _, w := range m.conns {
		if sameFS(w.fs, fsys) {
			return w
		}
	}
	return nil
}

// stopConnWatches stops every watch (when the program quits).
func (m *Model) stopConnWatches() {
	for _, w := range m.conns {
		w.stop()
	}
	m.conns = nil
}

// handleConnState records a state change, says what it means, lists the
// panes again when the connection is back, and reads on.
func (m *Model) handleConnState(msg connStateMsg) tea.Cmd {
	var w *connWatch
	for _, c := range m.conns {
		if c.id == msg.id {
			w = c
		}
	}
	if w == nil {
		return nil // no pane shows it any more
	}
	if msg.closed {
		m.dropWatch(w)
		return nil
	}
	prev := w.state
	w.state, w.retrying = msg.state, false
	cmds := []tea.Cmd{listenConn(w.id, w.ch)}
	switch msg.state.Status {
	case ConnLost, ConnFailed:
		m.status.clear() // the newest news about the connection shows
	case ConnReconnecting:
		if prev.Status != ConnReconnecting {
			m.status.clear()
		}
		cmds = append(cmds, m.armConnTick())
	case ConnBack:
		m.status.setInfo("reconnected to " + w.host())
		cmds = append(cmds, m.relistFS(w.fs))
	case ConnClosed:
		m.dropWatch(w)
	}
	m.markPanesConn()
	return tea.Batch(cmds...)
}

// dropWatch stops w and forgets it.
func (m *Model) dropWatch(w *connWatch) {
	w.stop()
	for i, c := range m.conns {
		if c == w {
			m.conns = append(m.conns[:i], m.conns[i+1:]...)
			break
		}
	}
	m.markPanesConn()
}

// relistFS lists again every pane showing fsys, keeping its directory,
// the cursor and the selection by name. A pane still loading is left to
// its listing, which waited for the connection.
func (m *Model) relistFS(fsys transfer.FS) tea.Cmd {
	var cmds []tea.Cmd
	for i := range m.panes {
		p := &m.panes[i]
		if !sameFS(p.FS(), fsys) || p.Loading() {
			continue
		}
		cmds = append(cmds, p.Retry())
	}
	return tea.Batch(cmds...)
}

// refreshPane lists the pane's directory again (the Refresh key). When its
// connection was given up, the listing makes it dial again: the pane says
// so until the connection reports back.
func (m *Model) refreshPane(p *pane.Model) tea.Cmd {
	if w := m.watchOf(p.FS()); w != nil && w.state.Status == ConnFailed {
		w.retrying = true
		m.markPanesConn()
	}
	return p.Retry()
}

// markPanesConn tells each pane whether its connection is down.
func (m *Model) markPanesConn() {
	for i := range m.panes {
		p := &m.panes[i]
		p.SetConn("")
		w := m.watchOf(p.FS())
		switch {
		case w == nil || !w.down():
		case w.state.Status == ConnFailed && !w.retrying:
			p.SetConn("offline")
		default:
			p.SetConn("reconnecting" + common.Ellipsis)
		}
	}
}

// connLostError is implemented by errors that mean the connection to the
// server was lost (remote's SFTP status 7).
type connLostError interface{ ConnectionLost() bool }

// connLost reports whether err says the connection was lost.
func connLost(err error) bool {
	var cl connLostError
	return errors.As(err, &cl) && cl.ConnectionLost()
}

// connExplains reports whether the failure of p's latest listing is told
// by the connection line: p's file system reports its connection, and the
// connection is down.
func (m *Model) connExplains(p *pane.Model) bool {
	w := m.watchOf(p.FS())
	return w != nil && w.down()
}

// armConnTick starts the countdown tick unless it runs: it fires when the
// next shown number of seconds changes.
func (m *Model) armConnTick() tea.Cmd {
	if m.connTicking {
		return nil
	}
	d, ok := m.nextConnTick()
	if !ok {
		return nil
	}
	m.connTicking = true
	return tea.Tick(d, func(time.Time) tea.Msg { return connTickMsg{} })
}

// handleConnTick redraws the countdown and ticks again while one runs.
func (m *Model) handleConnTick() tea.Cmd {
	m.connTicking = false
	return m.armConnTick()
}

// nextConnTick returns how long until a countdown on screen changes, if
// one runs.
func (m *Model) nextConnTick() (time.Duration, bool) {
	now := m.now()
	best, ok := time.Duration(0), false
	for _, w := range m.conns {
		if w.state.Status != ConnReconnecting || w.retrying {
			continue
		}
		left := w.state.At.Sub(now)
		if left <= 0 {
			continue
		}
		// The number shown is left rounded up to whole seconds; it
		// changes when left crosses the whole second below.
		d := left - time.Duration(ceilSeconds(left)-1)*time.Second
		if d > time.Second || d <= 0 {
			d = time.Second
		}
		d += 10 * time.Millisecond
		if !ok || d < best {
			best, ok = d, true
		}
	}
	return best, ok
}

// ceilSeconds is d rounded up to whole seconds.
func ceilSeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

// connLine describes the connections that are down in width cells, for
// the status line, with the keys that act on them; "" when every
// connection is up.
func (m *Model) connLine(width int) string {
	var msgs []connMsg
	for _, w := range m.conns {
		if w.down() {
			msgs = append(msgs, m.connMsg(w))
		}
	}
	if len(msgs) == 0 {
		return ""
	}
	const sep = " · "
	each := (width - len(sep)*(len(msgs)-1)) / len(msgs)
	parts := make([]string, len(msgs))
	for i, c := range msgs {
		parts[i] = c.fit(each)
	}
	return strings.Join(parts, sep)
}

// connMsg is a line about one connection: head and tail always show; the
// reason (why), with what frames it (pre, post), is shortened or left out
// to fit.
type connMsg struct {
	head, pre, why, post, tail string // sanitised
}

// fit renders c in at most width cells where it can: the reason gives
// way first.
func (c connMsg) fit(width int) string {
	full := c.head + c.pre + c.why + c.post + c.tail
	if c.why == "" || ansi.StringWidth(full) <= width {
		return full
	}
	room := width - ansi.StringWidth(c.head+c.pre+c.post+c.tail)
	if room < minReason {
		return c.head + c.tail
	}
	return c.head + c.pre + ansi.Truncate(c.why, room, common.Ellipsis) + c.post + c.tail
}

// minReason is the fewest cells worth showing of a reason.
const minReason = 8

// connMsg describes w's state, as in "reconnecting to web1, attempt 3 of
// 6, next in 4 s; esc stops".
func (m *Model) connMsg(w *connWatch) connMsg {
	host, st := w.host(), w.state
	if w.retrying {
		return connMsg{head: "reconnecting to " + host + common.Ellipsis}
	}
	why := ""
	if st.Err != nil {
		why = text.Sanitize(st.Err.Error())
	}
	switch st.Status {
	case ConnLost:
		c := connMsg{head: "connection to " + host + " lost", why: why, tail: "; reconnecting" + common.Ellipsis + m.stopHint(w)}
		if why != "" {
			c.pre = ": "
		}
		return c
	case ConnReconnecting:
		c := connMsg{head: "reconnecting to " + host + ", attempt " + strconv.Itoa(st.Attempt) + " of " + strconv.Itoa(st.MaxAttempts)}
		if left := st.At.Sub(m.now()); left > 0 {
			c.head += ", next in " + strconv.Itoa(ceilSeconds(left)) + " s"
		} else {
			c.head += common.Ellipsis
		}
		if why != "" {
			c.pre, c.why, c.post = " (last attempt: ", why, ")"
		}
		c.tail = m.stopHint(w)
		return c
	case ConnFailed:
		if st.Stopped {
			why = "reconnecting stopped"
		} else if st.Attempt > 0 {
			why = strings.TrimSuffix("gave up after "+text.Plural(st.Attempt, "attempt")+": "+why, ": ")
		}
		c := connMsg{head: "connection to " + host + " lost", why: why, tail: "; " + m.keys.Refresh.Help().Key + " tries again"}
		if why != "" {
			c.pre = ": "
		}
		return c
	}
	return connMsg{}
}
