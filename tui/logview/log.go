// Package logview keeps every message ferry's user interface showed in
// its status line during a run, with its time, and shows them in a
// scrollable overlay: the full text of anything the status line had to
// cut, and what scrolled away. It never writes a file itself: the root
// takes the lines not yet written (Unwritten) and writes them in a Cmd.
package logview

import (
	"strings"
	"time"
)

// MaxEntries is how many messages the log keeps; older ones are dropped.
const MaxEntries = 2000

// Entry is one message.
type Entry struct {
	// At is when it was last shown.
	At time.Time
	// Text is the message, sanitised.
	Text string
	// Err says it was shown as an error.
	Err bool
	// Count is how many times in a row it was shown.
	Count int
}

// Line is the entry as the log file has it: the time (RFC 3339), the
// kind and the text, with a newline.
func (e Entry) Line() string {
	kind := "info"
	if e.Err {
		kind = "error"
	}
	return e.At.Format(time.RFC3339) + " " + kind + ": " + strings.ReplaceAll(e.Text, "\n", " ") + "\n"
}

// Log is the messages of a run, oldest first. The zero value is ready.
type Log struct {
	entries   []Entry
	unwritten []Entry
	dropped   int // entries dropped from the front
}

// Add records text shown at time at. The same message shown again right
// after itself is counted on its entry instead of repeated.
func (l *Log) Add(at time.Time, text string, isErr bool) {
	if text == "" {
		return
	}
	if n := len(l.entries); n > 0 && l.entries[n-1].Text == text && l.entries[n-1].Err == isErr {
		l.entries[n-1].At = at
		l.entries[n-1].Count++
		return
	}
	e := Entry{At: at, Text: text, Err: isErr, Count: 1}
	l.entries = append(l.entries, e)
	l.unwritten = append(l.unwritten, e)
	if len(l.entries) > MaxEntries {
		drop := len(l.entries) - MaxEntries
		l.entries = append(l.entries[:0], l.entries[drop:]...)
		l.dropped += drop
	}
}

// Entries returns the messages kept, oldest first.
func (l *Log) Entries() []Entry { return l.entries }

// Dropped returns how many old messages were dropped to keep the log
// bounded.
func (l *Log) Dropped() int { return l.dropped }

// Unwritten returns the lines of the messages added since the last call,
// for the log file, and forgets them.
func (l *Log) Unwritten() string {
	if len(l.unwritten) == 0 {
		return ""
	}
	var b strings.Builder
	for _, e := range l.unwritten {
		b.WriteString(e.Line())
	}
	l.unwritten = l.unwritten[:0]
	return b.String()
}
