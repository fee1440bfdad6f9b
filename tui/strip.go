package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// stripText is the transfer strip's one line for s: active jobs, files
// done of all, bytes done of all ("counting…" while a walk goes on), the
// smoothed speed, the time left, and what failed or waits.
func stripText(s transfer.Snapshot) string {
	st := s.States
	parts := []string{
		plural(st[transfer.Running], "active job"),
		itoa(st[transfer.Done]+st[transfer.Skipped]) + "/" + itoa(s.Jobs) + " files",
	}
	total := formatSize(s.TotalBytes)
	if s.Counting {
		total = "counting…"
	}
	parts = append(parts, formatSize(s.DoneBytes)+"/"+total)
	if st[transfer.Running] > 0 && !s.Paused {
		parts = append(parts, formatSize(int64(s.Speed))+"/s")
		if s.ETA >= 0 && !s.Counting {
			parts = append(parts, "ETA "+FormatETA(s.ETA))
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

// FormatETA renders a duration as m:ss, or h:mm:ss from an hour on.
func FormatETA(d time.Duration) string {
	secs := int64(d.Round(time.Second) / time.Second)
	h, m, s := secs/3600, secs/60%60, secs%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// stripLine renders the transfer strip, exactly width cells wide.
func (m *Model) stripLine() string {
	return m.styles.Strip.Render(fit(stripText(m.xfer.snap), m.width))
}
