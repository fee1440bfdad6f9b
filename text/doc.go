// Package text is the one place where ferry turns values into words for a
// terminal: it sanitises strings that came from a disk or a server, formats
// sizes and durations, and holds the table of answers to a conflict with
// their keys, so that the UI and the headless commands read the same.
//
// It is a leaf: it imports nothing of ferry's, so every other package may
// use it.
package text
