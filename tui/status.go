package tui

import (
	"time"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/logview"
)

// status is the one-line message area below the panes. Messages and errors
// stay until the next key press; every one is also kept in the log, with
// its time, in full.
type status struct {
	text  string // sanitised
	isErr bool

	log *logview.Log     // every message shown; nil keeps none
	now func() time.Time // times the log's entries
}

// setError shows err in the error style.
func (s *status) setError(err error) {
	s.text, s.isErr = text.Sanitize(err.Error()), true
	s.record()
}

// setInfo shows an informational message; msg is sanitised.
func (s *status) setInfo(msg string) {
	s.text, s.isErr = text.Sanitize(msg), false
	s.record()
}

// record adds the message shown to the log.
func (s *status) record() {
	if s.log != nil && s.now != nil {
		s.log.Add(s.now(), s.text, s.isErr)
	}
}

// note adds msg (sanitised) to the log without showing it: news the
// status line leaves to another part of the screen.
func (s *status) note(msg string, isErr bool) {
	if s.log != nil && s.now != nil {
		s.log.Add(s.now(), text.Sanitize(msg), isErr)
	}
}

// report shows err, if any.
func (s *status) report(err error) {
	if err != nil {
		s.setError(err)
	}
}

// clear empties the status line; the log keeps what it showed.
func (s *status) clear() { s.text, s.isErr = "", false }

// View renders the status line in exactly width cells.
func (s status) View(st *Styles, width int) string {
	style := st.Status
	if s.isErr {
		style = st.StatusError
	}
	return style.Render(common.Fit(s.text, width))
}
