package tui

import (
	"strings"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
)

// stripText is the transfer strip's one line for s: active jobs, files
// done of all, bytes done of all ("counting…" while a walk goes on), the
// smoothed speed, the time left, and what failed or waits.
func stripText(s transfer.Snapshot) string {
	st := s.States
	parts := []string{
		text.Plural(st[transfer.Running], "active job"),
		itoa(st[transfer.Done]+st[transfer.Skipped]) + "/" + itoa(s.Jobs) + " files",
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
		parts = append(parts, itoa(n)+" failed")
	}
	if n := st[transfer.Cancelled]; n > 0 {
		parts = append(parts, itoa(n)+" cancelled")
	}
	if s.Asking > 0 {
		parts = append(parts, itoa(s.Asking)+" waiting for an answer")
	}
	switch {
	case s.Paused:
		parts = append(parts, "paused")
	case !busy(s):
		parts = append(parts, "idle")
	}
	return " " + strings.Join(parts, " · ")
}

// stripLine renders the transfer strip, exactly width cells wide.
func (m *Model) stripLine() string {
	return m.styles.Strip.Render(common.Fit(stripText(m.xfer.snap), m.width))
}
