package common

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
	// Link is the colour of symbolic links.
	Link color.Color
	// Marked is the colour of selected entries.
	Marked color.Color
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
		Link:        ld(c("#8250df"), c("#d2a8ff")),
		Marked:      ld(c("#9a6700"), c("#e3b341")),
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
	// Link is a symbolic link.
	Link lipgloss.Style
	// Selected is a selected entry that is not under the cursor.
	Selected lipgloss.Style
	// Meta is the size and time columns.
	Meta lipgloss.Style
	// Cursor is the whole cursor row in the focused pane.
	Cursor lipgloss.Style
	// CursorInactive is the whole cursor row in the unfocused pane.
	CursorInactive lipgloss.Style
	// CursorSelected is the cursor row in the focused pane when its entry
	// is selected.
	CursorSelected lipgloss.Style
	// Hint is text standing in for a listing: "loading…", "empty".
	Hint lipgloss.Style
	// Separator is the line between the two panes.
	Separator lipgloss.Style
	// Status is an informational status message.
	Status lipgloss.Style
	// StatusError is an error in the status line.
	StatusError lipgloss.Style
	// Strip is the transfer strip above the status line.
	Strip lipgloss.Style
	// Dialog is the border of a dialog box.
	Dialog lipgloss.Style
	// DialogTitle is the first line of a dialog.
	DialogTitle lipgloss.Style
	// DialogError is a validation message inside a dialog.
	DialogError lipgloss.Style
	// Input styles text inputs.
	Input InputStyles
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
		Link:           s().Foreground(t.Link),
		Selected:       s().Foreground(t.Marked).Bold(true),
		Meta:           s().Foreground(t.Muted),
		Cursor:         s().Foreground(t.OnSelection).Background(t.Selection),
		CursorInactive: s().Foreground(t.Text).Background(t.Inactive),
		CursorSelected: s().Foreground(t.Marked).Background(t.Selection).Bold(true),
		Hint:           s().Foreground(t.Muted).Italic(true),
		Separator:      s().Foreground(t.Border),
		Status:         s().Foreground(t.Text),
		StatusError:    s().Foreground(t.Error).Bold(true),
		Strip:          s().Foreground(t.Muted),
		Dialog:         s().Border(lipgloss.RoundedBorder()).BorderForeground(t.Accent),
		DialogTitle:    s().Foreground(t.Text).Bold(true),
		DialogError:    s().Foreground(t.Error).Bold(true),
		Input: InputStyles{
			Prompt:      s().Foreground(t.Accent).Bold(true),
			Text:        s().Foreground(t.Text),
			Placeholder: s().Foreground(t.Muted).Italic(true),
			Cursor:      s().Reverse(true),
		},
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

// InputStyles styles a text input.
type InputStyles struct {
	// Prompt is the text before the input, such as "> ".
	Prompt lipgloss.Style
	// Text is the typed text.
	Text lipgloss.Style
	// Placeholder is the hint shown while nothing is typed.
	Placeholder lipgloss.Style
	// Cursor is the character under the cursor.
	Cursor lipgloss.Style
}

// MonoStyles returns styles without any colour, for NO_COLOR: the cursor is
// reverse video, the focused header bold and reversed, selected entries
// and errors bold, and the rest plain.
func MonoStyles() Styles {
	s := lipgloss.NewStyle
	plain := s()
	return Styles{
		Header:         s().Underline(true),
		HeaderFocused:  s().Reverse(true).Bold(true),
		File:           plain,
		Dir:            s().Bold(true),
		Link:           plain,
		Selected:       s().Bold(true),
		Meta:           plain,
		Cursor:         s().Reverse(true),
		CursorInactive: s().Underline(true),
		CursorSelected: s().Reverse(true).Bold(true),
		Hint:           plain,
		Separator:      plain,
		Status:         plain,
		StatusError:    s().Bold(true),
		Strip:          plain,
		Dialog:         s().Border(lipgloss.NormalBorder()),
		DialogTitle:    s().Bold(true),
		DialogError:    s().Bold(true),
		Input:          InputStyles{Prompt: s().Bold(true), Text: plain, Placeholder: plain, Cursor: s().Reverse(true)},
		Help:           help.Styles{Ellipsis: plain, ShortKey: s().Bold(true), ShortDesc: plain, ShortSeparator: plain, FullKey: s().Bold(true), FullDesc: plain, FullSeparator: plain},
	}
}

// DefaultStyles returns the styles of the default theme for a dark or a light
// terminal background.
func DefaultStyles(isDark bool) Styles {
	return NewStyles(NewTheme(isDark))
}
