package tui

// status is the one-line message area below the panes. Errors stay until
// the next key press.
type status struct {
	text  string // sanitised
	isErr bool
}

// setError shows err in the error style.
func (s *status) setError(err error) {
	s.text, s.isErr = Sanitize(err.Error()), true
}

// clear empties the status line.
func (s *status) clear() { *s = status{} }

// View renders the status line in exactly width cells.
func (s status) View(st Styles, width int) string {
	style := st.Status
	if s.isErr {
		style = st.StatusError
	}
	return style.Render(fit(s.text, width))
}
