package tui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Theme is the small set of semantic colours every style is derived from.
type Theme struct {
	// Text is the colour of ordinary text.
	Text color.Color
	// Muted is the colour of secondary text: sizes, times, hints.
	Muted color.Color
	// Dir is the colour of directory names.
	Dir color.Color
	// Accent is the background of the focused pane's header.
	Accent color.Color
	// OnAccent is the text drawn on Accent.
	OnAccent color.Color
	// Selection is the background of the cursor row in the focused pane.
	Selection color.Color
	// OnSelection is the text drawn on Selection.
	OnSelection color.Color
	// Inactive is the background of the cursor row in the other pane and of
	// the unfocused pane's header.
	Inactive color.Color
	// Border is the colour of lines between regions.
	Border color.Color
	// Error is the colour of error messages.
	Error color.Color
}

// NewTheme returns ferry's default theme for a dark or a light terminal
// background.
func NewTheme(isDark bool) Theme {
	ld := lipgloss.LightDark(isDark)
	c := lipgloss.Color
	return Theme{
		Text:        ld(c("#1f2328"), c("#d8dee9")),
		Muted:       ld(c("#6e7781"), c("#8b949e")),
		Dir:         ld(c("#0550ae"), c("#79c0ff")),
		Accent:      ld(c("#0969da"), c("#1f6feb")),
		OnAccent:    ld(c("#ffffff"), c("#ffffff")),
		Selection:   ld(c("#b6e3ff"), c("#264f78")),
		OnSelection: ld(c("#0b1f33"), c("#ffffff")),
		Inactive:    ld(c("#eaeef2"), c("#30363d")),
		Border:      ld(c("#d0d7de"), c("#30363d")),
		Error:       ld(c("#cf222e"), c("#ff7b72")),
	}
}

// Styles holds every lipgloss style the UI draws with. Components take their
// styles from here and never define colours of their own. Styles never set
// widths or padding: components lay out text themselves and style it last.
type Styles struct {
	// Header is the header of the unfocused pane.
	Header lipgloss.Style
	// HeaderFocused is the header of the focused pane.
	HeaderFocused lipgloss.Style
	// File is a file name.
	File lipgloss.Style
	// Dir is a directory name.
	Dir lipgloss.Style
	// Meta is the size and time columns.
	Meta lipgloss.Style
	// Cursor is the whole cursor row in the focused pane.
	Cursor lipgloss.Style
	// CursorInactive is the whole cursor row in the unfocused pane.
	CursorInactive lipgloss.Style
	// Hint is text standing in for a listing: "loading…", "empty".
	Hint lipgloss.Style
	// Separator is the line between the two panes.
	Separator lipgloss.Style
	// Status is an informational status message.
	Status lipgloss.Style
	// StatusError is an error in the status line.
	StatusError lipgloss.Style
	// Help styles the help bar.
	Help help.Styles
}

// NewStyles derives the styles from a theme.
func NewStyles(t Theme) Styles {
	s := lipgloss.NewStyle
	return Styles{
		Header:         s().Foreground(t.Text).Background(t.Inactive),
		HeaderFocused:  s().Foreground(t.OnAccent).Background(t.Accent).Bold(true),
		File:           s().Foreground(t.Text),
		Dir:            s().Foreground(t.Dir).Bold(true),
		Meta:           s().Foreground(t.Muted),
		Cursor:         s().Foreground(t.OnSelection).Background(t.Selection),
		CursorInactive: s().Foreground(t.Text).Background(t.Inactive),
		Hint:           s().Foreground(t.Muted).Italic(true),
		Separator:      s().Foreground(t.Border),
		Status:         s().Foreground(t.Text),
		StatusError:    s().Foreground(t.Error).Bold(true),
		Help: help.Styles{
			Ellipsis:       s().Foreground(t.Muted),
			ShortKey:       s().Foreground(t.Text),
			ShortDesc:      s().Foreground(t.Muted),
			ShortSeparator: s().Foreground(t.Border),
			FullKey:        s().Foreground(t.Text),
			FullDesc:       s().Foreground(t.Muted),
			FullSeparator:  s().Foreground(t.Border),
		},
	}
}

// DefaultStyles returns the styles of the default theme for a dark or a light
// terminal background.
func DefaultStyles(isDark bool) Styles {
	return NewStyles(NewTheme(isDark))
}
