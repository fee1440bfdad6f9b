// Package common holds what every component of ferry's user interface
// shares: the semantic Theme and the Styles derived from it, the KeyMap
// (whose help texts also name the keys in every "press X" message), the
// one-line text input, the Side type naming a pane, and the helpers that
// fit sanitised text into a number of cells, frame a dialog and lay a box
// over a screen. It imports nothing of the root tui package.
package common
