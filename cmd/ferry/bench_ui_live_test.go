package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// liveCheck watches the screen of a UI copy: the progress line's values
// (read every 100 ms) and how long a Tab pressed mid-copy takes to show.
type liveCheck struct {
	s        *tmuxSession
	last     time.Time // of the last screen read
	progress []string  // the progress line's successive values
	header   string    // the top line, with its colours, before the Tab
	tabAt    time.Time // when the Tab was sent; zero before
	tabSeen  time.Duration
	tabGone  bool // the Tab never showed within five seconds
}

// poll reads the screen when due. After the progress line has shown two
// values, it presses Tab once and then watches, every 10 ms, for the top
// line (the focused pane's header is highlighted) to change.
func (l *liveCheck) poll() {
	waitingTab := !l.tabAt.IsZero() && l.tabSeen == 0 && !l.tabGone
	every := 100 * time.Millisecond
	if waitingTab {
		every = 10 * time.Millisecond
	}
	if time.Since(l.last) < every {
		return
	}
	l.last = time.Now()
	if waitingTab {
		if topLine(l.s) != l.header {
			l.tabSeen = time.Since(l.tabAt)
		} else if time.Since(l.tabAt) > 5*time.Second {
			l.tabGone = true
		}
		return
	}
	if p := screenProgress(l.s.screen()); p != "" && (len(l.progress) == 0 || l.progress[len(l.progress)-1] != p) {
		l.progress = append(l.progress, p)
	}
	if len(l.progress) >= 2 && l.tabAt.IsZero() {
		l.header = topLine(l.s)
		l.tabAt = time.Now()
		l.s.keys("Tab")
	}
}

// topLine returns the screen's first line with its colours.
func topLine(s *tmuxSession) string {
	line, _, _ := strings.Cut(s.tmux("capture-pane", "-p", "-e", "-t", s.name), "\n")
	return line
}

// screenProgress returns the status line of running copies ("1 active job ·
// 0/1 files · 10M/400M · …"), or "".
func screenProgress(screen string) string {
	for line := range strings.SplitSeq(screen, "\n") {
		if strings.Contains(line, "active job") {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

// checkLive copies src once through the UI, untimed, watching that the UI
// stays live, and returns what it saw for the report. It fails t if the
// progress did not change at least twice or the Tab took more than a
// second to show.
func (e *toolEnv) checkLive(t *testing.T, c toolCase, src string) string {
	t.Helper()
	var l *liveCheck
	run, ok := e.uiCopy(t, c, src, func(s *tmuxSession) func() {
		l = &liveCheck{s: s}
		return l.poll
	})
	if !ok {
		return "UI liveness: the copy failed"
	}
	changes := max(len(l.progress)-1, 0)
	var b strings.Builder
	fmt.Fprintf(&b, "UI liveness (one extra untimed UI copy, %.2f s, screen read every 100 ms): the progress line took %d values (%d changes)", run.wall.Seconds(), len(l.progress), changes)
	if len(l.progress) > 0 {
		fmt.Fprintf(&b, ", first %q, last %q", l.progress[0], l.progress[len(l.progress)-1])
	}
	switch {
	case l.tabAt.IsZero():
		b.WriteString("; the copy ended before a Tab could be pressed mid-copy")
		t.Errorf("%s: the UI showed too little progress to press Tab mid-copy (%d values)", c.name, len(l.progress))
	case l.tabGone || l.tabSeen == 0:
		b.WriteString("; a Tab pressed mid-copy did not show on screen before the copy ended (or within 5 s)")
		t.Errorf("%s: a Tab pressed mid-copy did not show", c.name)
	default:
		fmt.Fprintf(&b, "; a Tab pressed mid-copy showed on screen (focus moved) after %d ms, while the copy ran", l.tabSeen.Milliseconds())
		if l.tabSeen > time.Second {
			t.Errorf("%s: a Tab pressed mid-copy took %v to show", c.name, l.tabSeen)
		}
	}
	if changes < 2 {
		t.Errorf("%s: the progress line changed %d times during the copy; want at least 2", c.name, changes)
	}
	return b.String()
}
