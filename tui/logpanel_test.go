package tui

import (
	"errors"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/logview"
)

// syncBuffer is a strings.Builder safe for the writes of concurrent Cmds.
type syncBuffer struct {
	mu  sync.Mutex
	b   strings.Builder
	err error
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, s.err
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLogPanelKeepsTheFullTextAndWritesTheFile(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "a.txt", content: "x"})
	buf := &syncBuffer{}
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root,
		MessageLog: buf, MessageLogName: "/state/messages.log"}, 60, 16)
	long := root + "/" + strings.Repeat("very-long-directory-name/", 6) + "the-end"
	settle(t, m, press(t, m, ":"))
	settle(t, m, typeText(t, m, long))
	settle(t, m, press(t, m, "enter"))
	status := m.status.text
	if !strings.Contains(status, "the-end") {
		t.Fatalf("status %q", status)
	}
	if strings.Contains(screen(m), "the-end") {
		t.Fatal("the status line was expected to be cut at 60 columns")
	}
	// The file has the line, with its time, the whole text.
	if got := buf.String(); !strings.Contains(got, "2025-06-15T12:00:00Z error: "+status+"\n") {
		t.Fatalf("log file:\n%s", got)
	}
	settle(t, m, press(t, m, "L"))
	if _, ok := topIs[*logview.Model](&m.stack); !ok {
		t.Fatal("L did not open the log")
	}
	got := screen(m)
	if !strings.Contains(got, "12:00:00 cannot list") || !strings.Contains(got, "the-end") ||
		!strings.Contains(got, "also in /state/messages.log") {
		t.Fatalf("log view lacks the message:\n%s", got)
	}
	// Every piece of the text is on screen, wrapped, none cut.
	flat := strings.Join(strings.Fields(strings.ReplaceAll(got, "│", "")), "")
	if !strings.Contains(flat, strings.Join(strings.Fields(status), "")) {
		t.Fatalf("the text is not whole on screen:\n%s", got)
	}
	settle(t, m, press(t, m, "esc"))
	if m.stack.top() != nil {
		t.Fatal("esc did not close the log")
	}
	// The same message again is counted, not repeated.
	settle(t, m, press(t, m, ":"))
	settle(t, m, typeText(t, m, long))
	settle(t, m, press(t, m, "enter"))
	if n := len(m.status.log.Entries()); n != 1 || m.status.log.Entries()[0].Count != 2 {
		t.Fatalf("%d entries: %+v", n, m.status.log.Entries())
	}
	if strings.Count(buf.String(), "\n") != 1 {
		t.Fatalf("repeated line written again:\n%s", buf.String())
	}
}

func TestLogFileFailureIsSaidOnce(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "a.txt", content: "x"})
	buf := &syncBuffer{err: errors.New("disk full")}
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root,
		MessageLog: buf, MessageLogName: "/state/messages.log"}, 100, 16)
	settle(t, m, press(t, m, ":"))
	settle(t, m, typeText(t, m, "/nonexistent-dir"))
	settle(t, m, press(t, m, "enter"))
	if !strings.Contains(m.status.text, "write messages log /state/messages.log: disk full") {
		t.Fatalf("status %q", m.status.text)
	}
	if m.opts.MessageLog != nil {
		t.Fatal("still writing the log")
	}
}

func TestLogScrolls(t *testing.T) {
	t.Parallel()
	var l logview.Log
	for i := range 50 {
		l.Add(fixedNow, "message "+strings.Repeat("x", i), i%2 == 0)
	}
	km := common.DefaultKeyMap()
	v := logview.New(1, &l, "", &km)
	v.SetSize(40, 10)
	st := stylesFor(&Options{NoColor: true}, true)
	last := v.Screen(&st, 40, 10)
	if !strings.Contains(last, strings.Repeat("x", 20)) {
		t.Fatalf("does not open at the end:\n%s", last)
	}
	v.Update(keyMsg("home"))
	if top := v.Screen(&st, 40, 10); strings.TrimSpace(ansi.Strip(strings.Split(top, "\n")[1])) != "12:00:00 message" {
		t.Fatalf("home does not show the first:\n%s", top)
	}
	v.Update(keyMsg("end"))
	if v.Screen(&st, 40, 10) != last {
		t.Fatal("end does not come back to the end")
	}
}

func TestLogKeepsConnectionNewsAndEachFailedJob(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "a.txt", content: "x"})
	buf := &syncBuffer{}
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root, MessageLog: buf}, 100, 16)
	settle(t, m, func() tea.Msg {
		return connStateMsg{state: ConnState{Status: ConnLost, Host: "web1", Err: errors.New("EOF")}}
	})
	settle(t, m, func() tea.Msg {
		return transferEventsMsg{events: []transfer.Event{
			{Kind: transfer.JobFinished, State: transfer.Failed, Path: "/srv/a", Err: errors.New("permission denied")},
			{Kind: transfer.JobFinished, State: transfer.Done, Path: "/srv/b"},
		}}
	})
	var got []string
	for _, e := range m.status.log.Entries() {
		got = append(got, e.Text)
	}
	want := []string{"connection to web1 lost: EOF", "failed: /srv/a: permission denied"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("log %q, want %q", got, want)
	}
	if !strings.Contains(buf.String(), "error: failed: /srv/a: permission denied\n") {
		t.Fatalf("file:\n%s", buf.String())
	}
}
