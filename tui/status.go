package tui

import (
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/common"
)

// status is the one-line message area below the panes. Messages and errors
// stay until the next key press.
type status struct {
	text  string // sanitised
	isErr bool
}

// setError shows err in the error style.
func (s *status) setError(err error) {
	s.text, s.isErr = text.Sanitize(err.Error()), true
}

// setInfo shows an informational message; msg is sanitised.
func (s *status) setInfo(msg string) {
	s.text, s.isErr = text.Sanitize(msg), false
}

// report shows err, if any.
func (s *status) report(err error) {
	if err != nil {
		s.setError(err)
	}
}

// clear empties the status line.
func (s *status) clear() { *s = status{} }

// View renders the status line in exactly width cells.
func (s status) View(st *Styles, width int) string {
	style := st.Status
	if s.isErr {
		style = st.StatusError
	}
	return style.Render(common.Fit(s.text, width))
}
