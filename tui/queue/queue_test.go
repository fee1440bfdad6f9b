package queue

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

func TestQueueRow(t *testing.T) {
	running := transfer.JobStatus{ID: 1, Kind: transfer.KindFile, Src: "/srv/data/big.iso", Size: 1000, Done: 500,
		State: transfer.Running, Speed: 2048}
	failed := transfer.JobStatus{ID: 2, Kind: transfer.KindFile, Src: "/srv/evil\x1b[31m.txt", Size: 3,
		State: transfer.Failed, Err: errors.New("open /srv/evil\x1b[31m.txt: permission denied")}
	asking := transfer.JobStatus{ID: 3, Kind: transfer.KindFile, Src: "/a.txt", Size: 3, State: transfer.Queued,
		Conflict: &transfer.Conflict{}}
	dir := transfer.JobStatus{ID: 4, Kind: transfer.KindDir, Src: "/srv/tree", State: transfer.Done}
	waiting := transfer.JobStatus{ID: 5, Kind: transfer.KindFile, Src: "/b.bin", Size: 10, State: transfer.Running,
		Attempt: 1, Waiting: true, RetryErr: errors.New("copy /b.bin: connection lost (SFTP status 7)")}
	retry := waiting
	retry.Waiting, retry.Attempt = false, 2
	for _, tt := range []struct {
		j     transfer.JobStatus
		width int
		want  []string
		not   []string
	}{
		{running, 100, []string{"running   /srv/data/big.iso ", "█████░░░░░  50%    500/1000   2.0K/s"}, nil},
		{running, 60, []string{"running", " 50%    500/1000"}, []string{"█", "K/s"}},
		{failed, 100, []string{"failed    /srv/evil\\x1b[31m.txt open /srv/evil\\x1b[31m.txt: permission denied"}, []string{"\x1b"}},
		{asking, 80, []string{"asking    /a.txt "}, nil},
		{dir, 80, []string{"done      /srv/tree/ ", " dir"}, nil},
		{waiting, 80, []string{"waiting   /b.bin "}, nil},
		{retry, 80, []string{"retry 2   /b.bin "}, nil},
	} {
		row := row(&tt.j, Describe(&tt.j, "", "/"), tt.width, false)
		if tt.j.RetryErr != nil {
			if d := Describe(&tt.j, "", "/").Detail; !strings.Contains(d, "after: copy /b.bin: connection lost") ||
				strings.Contains(d, "waiting for the connection") != tt.j.Waiting {
				t.Errorf("detail %q does not say why it is tried again", d)
			}
		}
		if w := len([]rune(row)); w != tt.width {
			t.Errorf("row %q is %d cells", row, w)
		}
		for _, s := range tt.want {
			if !strings.Contains(row, s) {
				t.Errorf("row %q lacks %q", row, s)
			}
		}
		for _, s := range tt.not {
			if strings.Contains(row, s) {
				t.Errorf("row %q has %q", row, s)
			}
		}
	}
}

func TestStripText(t *testing.T) {
	var s transfer.Snapshot
	s.Jobs, s.Workers, s.ETA = 10, 4, -1
	s.States[transfer.Running] = 2
	s.States[transfer.Queued] = 5
	s.States[transfer.Done] = 2
	s.States[transfer.Skipped] = 1
	s.TotalBytes, s.DoneBytes, s.Speed = 10<<20, 3<<20, 1.5*(1<<20)
	s.Counting = true
	if got, want := StripText(s), " 2 active jobs · 3/10 files · 3.0M/counting… · 1.5M/s"; got != want {
		t.Errorf("counting: %q, want %q", got, want)
	}
	s.Counting, s.ETA = false, 75*time.Second
	s.States[transfer.Failed], s.Asking = 1, 2
	if got, want := StripText(s), " 2 active jobs · 3/10 files · 3.0M/10M · 1.5M/s · ETA 1:15 · 1 failed · 2 waiting for an answer"; got != want {
		t.Errorf("running: %q, want %q", got, want)
	}
	s.Paused = true
	if got := StripText(s); !strings.HasSuffix(got, " · paused") || strings.Contains(got, "/s") {
		t.Errorf("paused: %q", got)
	}
}
