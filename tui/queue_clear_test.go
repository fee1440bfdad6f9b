package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// stripLine returns the transfer strip of a height-line screen.
func stripLine(m *Model, height int) string {
	return strings.TrimRight(strings.Split(screen(m), "\n")[height-3], " ")
}

func TestQueueViewOpensOnActiveAndClears(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "bad one.txt", content: "1"}, file{name: "good.txt", content: "g"})
	right := t.TempDir()
	flaky := newFlaky(true)
	m, r, e := engineModel(t, flaky, local.New(), left, right, 120, 24)
	copyAll(t, r)
	waitSettled(r)
	if got, want := stripLine(m, 24), " 0 active jobs · 1/2 files · 1/1 · 1 failed · idle"; got != want {
		t.Errorf("strip after the first copy %q, want %q", got, want)
	}

	// A second copy, held by a paused queue, counts from zero.
	if err := os.Remove(filepath.Join(right, "good.txt")); err != nil {
		t.Fatal(err)
	}
	e.Pause()
	copyAll(t, r)
	if d, ok := m.stack.top().(*inputDialog); ok && !strings.HasPrefix(d.Title(), "Copy") {
		t.Fatalf("dialog %q", d.Title())
	}
	r.waitFor("the second copy to be planned", func() bool {
		return m.xfer.raw.Jobs == 4 && !m.xfer.raw.Counting && m.stack.top() == nil
	})
	if got, want := stripLine(m, 24), " 0 active jobs · 0/2 files · 0/2 · paused"; got != want {
		t.Errorf("strip of the second copy %q, want %q", got, want)
	}

	r.press("w")
	q := queueOpen(t, m)
	if q.Cursor() != 2 {
		t.Errorf("the queue view opened on row %d, want the first queued job 2:\n%s", q.Cursor(), screen(m))
	}
	r.press("C")
	out := screen(m)
	if q.Rows() != 2 || strings.Contains(out, "failed ") || strings.Contains(out, "done ") ||
		!strings.Contains(out, "queued    bad one.txt") || !strings.Contains(out, "finished ones cleared") {
		t.Errorf("after C, %d rows:\n%s", q.Rows(), out)
	}
	r.press("R")
	if got := jobState(t, e, 1); got != transfer.Failed || !strings.Contains(m.status.text, "no failed jobs") {
		t.Errorf("R after C: job 1 %v, status %q", got, m.status.text)
	}
	r.press("p")
	waitSettled(r)
	out = screen(m)
	if !strings.Contains(out, "failed    bad one.txt") || !strings.Contains(out, "done      good.txt") || q.Rows() != 2 {
		t.Errorf("the second copy's jobs stay until the next clear:\n%s", out)
	}
	r.press("R")
	if !strings.Contains(m.status.text, "retrying 1 job") {
		t.Errorf("R retried %q", m.status.text)
	}
	waitSettled(r)
	if got := jobState(t, e, 1); got != transfer.Failed {
		t.Errorf("a cleared failed job was retried: %v", got)
	}
}
