package common

// Side names a pane: the left one or the right one.
type Side int

// The two panes.
const (
	// Left is the left pane, which has the focus at start.
	Left Side = iota
	// Right is the right pane.
	Right
)

// Other returns the opposite side.
func (s Side) Other() Side { return 1 - s }

// String returns "left" or "right".
func (s Side) String() string {
	if s == Left {
		return "left"
	}
	return "right"
}

// Valid reports whether s names a pane.
func (s Side) Valid() bool { return s == Left || s == Right }
