package tui

import (
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

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

// conns follows the connections of the file systems the panes show:
// what the status line says while one is down, the reconnect countdown,
// and the StopReconnect key.
type conns struct {
	list    []*connWatch
	ticking bool // a countdown tick is on its way
	now     func() time.Time
	keys    *KeyMap
}

// syncConnWatches watches every file system the panes show that can
// report its connection, and stops watching the ones no pane shows any
// more. It returns the Cmds that read the new watches.
func (c *conns) sync(panes *[2]pane.Model, newID func() uint64) tea.Cmd {
	kept := c.list[:0]
	for _, w := range c.list {
		if shown(panes, w.fs) {
			kept = append(kept, w)
			continue
		}
		w.stop()
	}
	clear(c.list[len(kept):])
	c.list = kept
	var cmds []tea.Cmd
	for i := range panes {
		fsys := panes[i].FS()
		cw, ok := fsys.(ConnWatcher)
		if !ok || c.of(fsys) != nil {
			continue
		}
		ch, stop := cw.WatchConn()
		w := &connWatch{id: newID(), fs: fsys, ch: ch, stop: stop}
		c.list = append(c.list, w)
		cmds = append(cmds, listenConn(w.id, ch))
	}
	c.mark(panes)
	return tea.Batch(cmds...)
}

// shown reports whether a pane shows fsys.
func shown(panes *[2]pane.Model, fsys transfer.FS) bool {
	return sameFS(panes[leftSide].FS(), fsys) || sameFS(panes[rightSide].FS(), fsys)
}

// of returns the watch of fsys, or nil.
func (c *conns) of(fsys transfer.FS) *connWatch {
	for _, w := range c.list {
		if sameFS(w.fs, fsys) {
			return w
		}
	}
	return nil
}

// stopAll stops every watch (when the program quits).
func (c *conns) stopAll() {
	for _, w := range c.list {
		w.stop()
	}
	c.list = nil
}

// handle records a state change, says what it means, lists the
// panes again when the connection is back, and reads on.
func (c *conns) handle(msg connStateMsg, panes *[2]pane.Model, st *status) tea.Cmd {
	var w *connWatch
	for _, cw := range c.list {
		if cw.id == msg.id {
			w = cw
		}
	}
	if w == nil {
		return nil // no pane shows it any more
	}
	if msg.closed {
		c.drop(w, panes)
		return nil
	}
	prev := w.state
	w.state, w.retrying = msg.state, false
	cmds := []tea.Cmd{listenConn(w.id, w.ch)}
	switch msg.state.Status {
	case ConnLost, ConnFailed:
		st.clear() // the newest news about the connection shows
	case ConnReconnecting:
		if prev.Status != ConnReconnecting {
			st.clear()
		}
		cmds = append(cmds, c.armTick())
	case ConnBack:
		st.setInfo("reconnected to " + w.host())
		cmds = append(cmds, relistFS(panes, w.fs))
	case ConnClosed:
		c.drop(w, panes)
	}
	c.mark(panes)
	return tea.Batch(cmds...)
}

// drop stops w and forgets it.
func (c *conns) drop(w *connWatch, panes *[2]pane.Model) {
	w.stop()
	for i, cw := range c.list {
		if cw == w {
			c.list = append(c.list[:i], c.list[i+1:]...)
			break
		}
	}
	c.mark(panes)
}

// relistFS lists again every pane showing fsys, keeping its directory,
// the cursor and the selection by name. A pane still loading is left to
// its listing, which waited for the connection.
func relistFS(panes *[2]pane.Model, fsys transfer.FS) tea.Cmd {
	var cmds []tea.Cmd
	for i := range panes {
		p := &panes[i]
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
func (c *conns) refresh(p *pane.Model, panes *[2]pane.Model) tea.Cmd {
	if w := c.of(p.FS()); w != nil && w.state.Status == ConnFailed {
		w.retrying = true
		c.mark(panes)
	}
	return p.Retry()
}

// mark tells each pane whether its connection is down.
func (c *conns) mark(panes *[2]pane.Model) {
	for i := range panes {
		p := &panes[i]
		p.SetConn("")
		w := c.of(p.FS())
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

// explains reports whether the failure of p's latest listing is told
// by the connection line: p's file system reports its connection, and the
// connection is down.
func (c *conns) explains(p *pane.Model) bool {
	w := c.of(p.FS())
	return w != nil && w.down()
}

// armConnTick starts the countdown tick unless it runs: it fires when the
// next shown number of seconds changes.
func (c *conns) armTick() tea.Cmd {
	if c.ticking {
		return nil
	}
	d, ok := c.nextTick()
	if !ok {
		return nil
	}
	c.ticking = true
	return tea.Tick(d, func(time.Time) tea.Msg { return connTickMsg{} })
}

// handleConnTick redraws the countdown and ticks again while one runs.
func (c *conns) handleTick() tea.Cmd {
	c.ticking = false
	return c.armTick()
}

// nextConnTick returns how long until a countdown on screen changes, if
// one runs.
func (c *conns) nextTick() (time.Duration, bool) {
	now := c.now()
	best, ok := time.Duration(0), false
	for _, w := range c.list {
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
