package tui

// ReconnectStopper is implemented by a file system whose reconnect
// attempts the user can stop (cmd/ferry's wrapper of remote.FS). While the
// host of a pane is reconnecting and nothing is open over the panes, the
// StopReconnect key (Esc) calls StopReconnect, and the connection line
// says so. StopReconnect ends the attempts under way at once and reports
// ConnFailed with Stopped set through WatchConn; the next listing (the
// Refresh key) dials again. It is called from Update and must not block.
type ReconnectStopper interface {
	StopReconnect()
}

// stoppable reports whether w's host is reconnecting and its file system
// can stop that.
func (w *connWatch) stoppable() bool {
	if w.retrying || (w.state.Status != ConnLost && w.state.Status != ConnReconnecting) {
		return false
	}
	_, ok := w.fs.(ReconnectStopper)
	return ok
}

// keysToList reports whether a key press reaches the file list: no
// overlay, filter input or background question is on top.
func (m *Model) keysToList() bool {
	return m.stack.top() == nil && !m.filter.active && m.questions.cur == nil
}

// canStop reports whether the StopReconnect key stops a host's reconnect
// attempts now, rather than doing what the same key does otherwise
// (clearing the selection): toList says the key reaches the file list.
func (c *conns) canStop(toList bool) bool {
	if !toList {
		return false
	}
	for _, w := range c.list {
		if w.stoppable() {
			return true
		}
	}
	return false
}

// stopReconnects stops every host the panes show that is reconnecting.
// Each says ConnFailed (Stopped) through its watch.
func (c *conns) stopReconnects() {
	for _, w := range c.list {
		if w.stoppable() {
			w.fs.(ReconnectStopper).StopReconnect()
		}
	}
}

// stopHint is what the connection line of w adds when the StopReconnect
// key would stop its attempts, as in "; esc stops".
func (c *conns) stopHint(w *connWatch, toList bool) string {
	if !toList || !w.stoppable() {
		return ""
	}
	return "; " + c.keys.StopReconnect.Help().Key + " stops"
}
