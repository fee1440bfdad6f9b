package queue

import (
	"strconv"
	"strings"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
)

// Busy reports whether s has unfinished work: quitting then asks.
func Busy(s transfer.Snapshot) bool {
	return s.Counting || s.States[transfer.Queued]+s.States[transfer.Running] > 0
}

// StripText is the transfer strip's one line for s: active jobs, files
// done of all, bytes done of all ("counting…" while a walk goes on), the
// smoothed speed, the time left, and what failed or waits.
func StripText(s transfer.Snapshot) string {
	st := s.States
	parts := []string{
		text.Plural(st[transfer.Running], "active job"),
		strconv.Itoa(st[transfer.Done]+st[transfer.Skipped]) + "/" + strconv.Itoa(s.Jobs) + " files",
	}
	total := text.Size(s.TotalBytes)
	if s.Counting {
		total = "counting…"
	}
	parts = append(parts, text.Size(s.DoneBytes)+"/"+total)
	if st[transfer.Running] > 0 && !s.Paused {
		parts = append(parts, text.Size(int64(s.Speed))+"/s")
		if s.ETA >= 0 && !s.Counting {
			parts = append(parts, "ETA "+text.ETA(s.ETA))
		}
	}
	if n := st[transfer.Failed]; n > 0 {
		parts = append(parts, strconv.Itoa(n)+" failed")
	}
	if n := st[transfer.Cancelled]; n > 0 {
		parts = append(parts, strconv.Itoa(n)+" cancelled")
	}
	if s.Asking > 0 {
		parts = append(parts, strconv.Itoa(s.Asking)+" waiting for an answer")
	}
	switch {
	case s.Paused:
		parts = append(parts, "paused")
	case !Busy(s):
		parts = append(parts, "idle")
	}
	return " " + strings.Join(parts, " · ")
}
