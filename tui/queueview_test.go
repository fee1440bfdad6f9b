package tui

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/queue"
)

// numberedFiles makes n small files f00.txt, f01.txt... in a new directory.
func numberedFiles(t *testing.T, n int) string {
	var fs []file
	for i := range n {
		fs = append(fs, file{name: fmt.Sprintf("f%02d.txt", i), content: fmt.Sprintf("file %d", i)})
	}
	return makeTree(t, fs...)
}

// queueOpen returns the open queue view, failing the test if there is none.
func queueOpen(t *testing.T, m *Model) *queue.Model {
	t.Helper()
	q, ok := m.stack.top().(*queue.Model)
	if !ok {
		t.Fatalf("overlay = %T, want the queue view", m.stack.top())
	}
	return q
}

// jobState returns job id's state.
func jobState(t *testing.T, e *transfer.Engine, id transfer.JobID) transfer.State {
	t.Helper()
	j, ok := e.Job(id)
	if !ok {
		t.Fatalf("no job %d", id)
	}
	return j.State
}

// planned waits until the engine has planned n jobs.
func planned(r *runner, e *transfer.Engine, n int) {
	r.t.Helper()
	r.waitFor(fmt.Sprintf("%d jobs planned", n), func() bool {
		s := e.Snapshot()
		return s.Jobs == n && !s.Counting
	})
}

func TestQueueViewListsAndScrolls(t *testing.T) {
	t.Parallel()
	left, right := numberedFiles(t, 30), t.TempDir()
	m, r, e := engineModel(t, local.New(), local.New(), left, right, 100, 24)
	e.Pause()
	copyAll(t, r)
	planned(r, e, 30)
	r.press("w")
	q := queueOpen(t, m)
	out := screen(m)
	for _, want := range []string{
		"Transfer queue · 30 jobs · 4 workers · paused",
		"queued    f00.txt ",
		"░░░░░░░░░░   0%         0/6",
		"  local:" + filepath.Join(left, "f00.txt") + " → local:/", // the job under the cursor
		" 0 active jobs · 0/30 files · 0/",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("queue view lacks %q:\n%s", want, out)
		}
	}
	if fit, fetched := q.Shown(); fit != 24-3-2 || fetched != fit || strings.Contains(out, "f19.txt") {
		t.Errorf("height %d, %d jobs fetched", fit, fetched)
	}
	r.press("j", "j")
	if q.Cursor() != 2 {
		t.Errorf("j j: cursor %d", q.Cursor())
	}
	r.press("pgdown")
	if q.Cursor() != 2+18 || q.Offset() != 2 || !strings.Contains(screen(m), "f20.txt") {
		t.Errorf("pgdown: cursor %d offset %d", q.Cursor(), q.Offset())
	}
	r.press("G")
	if q.Cursor() != 29 || q.Offset() != 11 {
		t.Errorf("G: cursor %d offset %d", q.Cursor(), q.Offset())
	}
	r.send(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if q.Cursor() != 26 {
		t.Errorf("wheel up: cursor %d", q.Cursor())
	}
	r.press("k", "pgup", "g")
	if q.Cursor() != 0 || q.Offset() != 0 {
		t.Errorf("g: cursor %d offset %d", q.Cursor(), q.Offset())
	}
	for _, k := range []string{"w", "esc", "q"} {
		r.press(k)
		if m.stack.top() != nil {
			t.Errorf("%s did not close the queue view", k)
		}
		r.press("w")
		if queueOpen(t, m) != q {
			t.Error("the queue view forgot its state")
		}
	}
}

func TestQueueViewActs(t *testing.T) {
	t.Parallel()
	left, right := numberedFiles(t, 5), t.TempDir()
	m, r, e := engineModel(t, local.New(), local.New(), left, right, 100, 24)
	e.Pause()
	copyAll(t, r)
	planned(r, e, 5)
	r.press("w")

	r.press("x") // cancel the job under the cursor
	if got := jobState(t, e, 1); got != transfer.Cancelled {
		t.Fatalf("x: job 1 is %v", got)
	}
	if !strings.Contains(screen(m), "cancelled") {
		t.Errorf("no cancelled row:\n%s", screen(m))
	}
	r.press("+")
	if e.Workers() != 5 || !strings.Contains(screen(m), "5 workers") {
		t.Errorf("+: %d workers", e.Workers())
	}
	r.press("-", "-", "-")
	if e.Workers() != 2 || !strings.Contains(screen(m), "2 workers") {
		t.Errorf("-: %d workers", e.Workers())
	}
	r.press("p")
	if e.Paused() {
		t.Fatal("p did not resume the queue")
	}
	waitSettled(r)
	if exists(filepath.Join(right, "f00.txt")) || content(filepath.Join(right, "f04.txt")) != "file 4" {
		t.Error("the cancelled job ran, or the others did not")
	}
	r.press("p")
	if !e.Paused() || !strings.Contains(screen(m), "· paused") {
		t.Error("p did not pause the queue")
	}
	r.press("p", "r") // retry the cancelled job under the cursor
	waitSettled(r)
	if content(filepath.Join(right, "f00.txt")) != "file 0" {
		t.Error("r did not retry the cancelled job")
	}
	r.press("j", "r")
	if !strings.Contains(m.status.text, "only failed or cancelled jobs") {
		t.Errorf("r on a done job: status %q", m.status.text)
	}
}

func TestQueueViewCancelAll(t *testing.T) {
	t.Parallel()
	left, right := numberedFiles(t, 4), t.TempDir()
	m, r, e := engineModel(t, local.New(), local.New(), left, right, 100, 24)
	e.Pause()
	copyAll(t, r)
	planned(r, e, 4)
	r.press("w", "X")
	if n := e.Snapshot().States[transfer.Cancelled]; n != 4 {
		t.Errorf("X cancelled %d jobs", n)
	}
	e.Resume()
	waitSettled(r)
	if exists(filepath.Join(right, "f00.txt")) {
		t.Error("a cancelled job ran")
	}
	if !strings.Contains(screen(m), "4 cancelled") {
		t.Errorf("strip:\n%s", screen(m))
	}
}

func TestQueueViewRetriesFailed(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "bad one.txt", content: "1"}, file{name: "bad two.txt", content: "2"}, file{name: "good.txt", content: "g"})
	right := t.TempDir()
	flaky := newFlaky(true)
	m, r, e := engineModel(t, flaky, local.New(), left, right, 120, 24)
	copyAll(t, r)
	waitSettled(r)
	r.press("w")
	out := screen(m)
	for _, want := range []string{
		"failed    bad one.txt open source: open bad one.txt: simulated I/O error",
		"failed    bad two.txt open source: open bad two.txt: simulated I/O error",
		"done      good.txt ",
		"  open source: open " + filepath.Join(left, "bad one.txt") + ": simulated I/O error", // the cursor's
		"2 failed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("queue view lacks %q:\n%s", want, out)
		}
	}
	flaky.fail.Store(false)
	r.press("R")
	if !strings.Contains(m.status.text, "retrying 2 jobs") {
		t.Errorf("status %q", m.status.text)
	}
	waitSettled(r)
	if content(filepath.Join(right, "bad one.txt")) != "1" || content(filepath.Join(right, "bad two.txt")) != "2" {
		t.Error("R did not retry the failed jobs")
	}
	if s := e.Snapshot(); s.States[transfer.Failed] != 0 || s.States[transfer.Done] != 3 {
		t.Errorf("states %v", s.States)
	}
	r.press("R")
	if !strings.Contains(m.status.text, "no failed jobs") {
		t.Errorf("status %q", m.status.text)
	}
}

// gateFS holds every read of its files until release is closed.
type gateFS struct {
	transfer.FS
	release chan struct{}
}

func (g *gateFS) Label() string { return "gated" }

func (g *gateFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	rc, err := g.FS.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	return &gatedReader{rc: rc, release: g.release}, nil
}

type gatedReader struct {
	rc      io.ReadCloser
	release chan struct{}
}

func (r *gatedReader) Read(b []byte) (int, error) {
	<-r.release
	return r.rc.Read(b)
}

func (r *gatedReader) Close() error { return r.rc.Close() }

func TestStripPollsOnlyWhileActive(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "a.txt", size: 1000}, file{name: "b.txt", size: 2000}, file{name: "c.txt", size: 3000})
	right := t.TempDir()
	g := &gateFS{FS: local.New(), release: make(chan struct{})}
	m, r, e := engineModel(t, g, local.New(), left, right, 100, 24)
	if m.xfer.shown || m.panes[leftSide].Height() != 24-2 {
		t.Fatalf("strip shown before any job (pane height %d)", m.panes[leftSide].Height())
	}
	copyAll(t, r)
	r.waitFor("running jobs", func() bool { return m.xfer.snap.States[transfer.Running] == 3 })
	if !m.xfer.ticking || !m.xfer.shown || m.panes[leftSide].Height() != 24-3 {
		t.Errorf("ticking %v, shown %v, pane height %d", m.xfer.ticking, m.xfer.shown, m.panes[leftSide].Height())
	}
	strip := strings.Split(screen(m), "\n")[24-3]
	if !strings.HasPrefix(strip, " 3 active jobs · 0/3 files · 0/5.9K · ") {
		t.Errorf("strip %q", strip)
	}
	close(g.release)
	waitSettled(r)
	r.waitFor("the polling to stop", func() bool { return !m.xfer.ticking })
	strip = strings.Split(screen(m), "\n")[24-3]
	if want := " 0 active jobs · 3/3 files · 5.9K/5.9K · idle"; strings.TrimRight(strip, " ") != want {
		t.Errorf("strip %q, want %q", strip, want)
	}
	if e.Snapshot().Jobs != 3 {
		t.Error("wrong job count")
	}
	// Nothing re-arms the tick while idle.
	quiet := time.After(3 * stripInterval)
	for {
		select {
		case msg := <-r.msgs:
			if _, ok := msg.(stripTickMsg); ok {
				t.Fatal("a strip tick while idle")
			}
			r.send(msg)
		case <-quiet:
			return
		}
	}
}
