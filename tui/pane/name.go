package pane

import (
	"strings"

	"github.com/ferry-tui/ferry/text"
)

// NameError is a name the user typed that cannot be used.
type NameError struct {
	// Reason says why.
	Reason string
}

// Error returns the reason.
func (e *NameError) Error() string { return e.Reason }

// ValidateName refuses names that are not a single path element.
func ValidateName(name string) error {
	switch {
	case name == "":
		return &NameError{Reason: "a name cannot be empty"}
	case name == "." || name == "..":
		return &NameError{Reason: `"` + name + `" is not a name`}
	case strings.ContainsRune(name, '/'):
		return &NameError{Reason: "a name cannot contain /"}
	case strings.ContainsRune(name, 0):
		return &NameError{Reason: "a name cannot contain a NUL byte"}
	}
	return nil
}

// HasName reports whether the listing holds an entry named name.
func (p *Model) HasName(name string) bool {
	for i := range p.entries {
		if p.entries[i].name == name {
			return true
		}
	}
	return false
}

// Resolve turns what the user typed into a path on the pane's file system:
// "~/x" is under the home directory (once known), absolute paths stay,
// the rest is relative to the directory shown.
func (p *Model) Resolve(v string) string {
	sep := p.fs.Separator()
	switch {
	case v == "~":
		return p.homeDir
	case strings.HasPrefix(v, "~"+sep) && p.homeDir != "":
		return p.fs.Join(p.homeDir, v[2:])
	case isAbs(v, sep):
		return p.fs.Join(v)
	}
	return p.fs.Join(p.path, v)
}

// isAbs reports whether v is an absolute path: it starts with "/", or on a
// file system with `\` separators with a drive letter or a UNC prefix.
func isAbs(v, sep string) bool {
	if strings.HasPrefix(v, "/") {
		return true
	}
	if sep != `\` {
		return false
	}
	return strings.HasPrefix(v, `\\`) || len(v) >= 3 && v[1] == ':' && (v[2] == '\\' || v[2] == '/')
}

// RawNames returns the raw names of entries.
func RawNames(es []*Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.name
	}
	return out
}

// Describe names what an operation acts on: the entry itself when there is
// one, else how many.
func Describe(es []*Entry) string {
	if len(es) == 1 {
		return es[0].display
	}
	dirs := 0
	for _, e := range es {
		if e.Opens() {
			dirs++
		}
	}
	switch {
	case dirs == 0:
		return text.Plural(len(es), "file")
	case dirs == len(es):
		return text.Plural(len(es), "directory")
	}
	return text.Plural(len(es), "entry")
}
