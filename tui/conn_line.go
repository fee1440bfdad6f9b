package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/common"
)

// ceilSeconds is d rounded up to whole seconds.
func ceilSeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

// line describes the connections that are down in width cells, for
// the status line, with the keys that act on them (the StopReconnect key
// only while toList, when it would reach the file list); "" when every
// connection is up.
func (c *conns) line(width int, toList bool) string {
	var msgs []connMsg
	for _, w := range c.list {
		if w.down() {
			msgs = append(msgs, c.msg(w, toList))
		}
	}
	if len(msgs) == 0 {
		return ""
	}
	const sep = " · "
	each := (width - len(sep)*(len(msgs)-1)) / len(msgs)
	parts := make([]string, len(msgs))
	for i, cm := range msgs {
		parts[i] = cm.fit(each)
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

// msg describes w's state, as in "reconnecting to web1, attempt 3 of
// 6, next in 4 s; esc stops".
func (cs *conns) msg(w *connWatch, toList bool) connMsg {
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
		c := connMsg{head: "connection to " + host + " lost", why: why, tail: "; reconnecting" + common.Ellipsis + cs.stopHint(w, toList)}
		if why != "" {
			c.pre = ": "
		}
		return c
	case ConnReconnecting:
		c := connMsg{head: "reconnecting to " + host + ", attempt " + strconv.Itoa(st.Attempt) + " of " + strconv.Itoa(st.MaxAttempts)}
		if left := st.At.Sub(cs.now()); left > 0 {
			c.head += ", next in " + strconv.Itoa(ceilSeconds(left)) + " s"
		} else {
			c.head += common.Ellipsis
		}
		if why != "" {
			c.pre, c.why, c.post = " (last attempt: ", why, ")"
		}
		c.tail = cs.stopHint(w, toList)
		return c
	case ConnFailed:
		if st.Stopped {
			why = "reconnecting stopped"
		} else if st.Attempt > 0 {
			why = strings.TrimSuffix("gave up after "+text.Plural(st.Attempt, "attempt")+": "+why, ": ")
		}
		c := connMsg{head: "connection to " + host + " lost", why: why, tail: "; " + cs.keys.Refresh.Help().Key + " tries again"}
		if why != "" {
			c.pre = ": "
		}
		return c
	}
	return connMsg{}
}
