package pane

import (
	"cmp"
	"slices"
	"strings"
)

// sortKey is what a listing is ordered by.
type sortKey int

const (
	byName sortKey = iota // name, ignoring case, a to z
	bySize                // largest first
	byTime                // newest first
	numSortKeys
)

// sortSpec is a listing order: a key and whether it is reversed.
// Directories always come first.
type sortSpec struct {
	key     sortKey
	reverse bool
}

// next returns the spec with the following key, as `s` cycles them.
func (s sortSpec) next() sortSpec {
	s.key = (s.key + 1) % numSortKeys
	return s
}

// label names the order for the pane header; the arrow says which way
// the values run: name↑ is a to z, size↓ largest first.
func (s sortSpec) label() string {
	name := [...]string{"name", "size", "time"}[s.key]
	up := s.key == byName
	if s.reverse {
		up = !up
	}
	if up {
		return name + "↑"
	}
	return name + "↓"
}

// sortOrder returns the indices of entries in the order spec asks for:
// directories (and links to them) first, then files, each group by the key,
// ties broken by the lower-cased name, then the exact bytes, so the order
// is total. By size, a directory counts with its computed size in
// dirSizes (by name), as mc sorts after "show directory sizes"; one not
// computed with the size its listing gave. It only reads entries and
// dirSizes.
func sortOrder(entries []Entry, spec sortSpec, dirSizes map[string]int64) []int32 {
	order := make([]int32, len(entries))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		return compareEntries(&entries[i], &entries[j], spec, dirSizes)
	})
	return order
}

// sortSize is e's size for sorting by size: a directory's computed
// total, else the size its listing gave, as mc does.
func sortSize(e *Entry, dirSizes map[string]int64) int64 {
	if n, ok := dirSizes[e.name]; ok && e.IsDir() {
		return n
	}
	return e.size
}

// compareEntries orders a and b for spec, with dirSizes as sortOrder.
func compareEntries(a, b *Entry, spec sortSpec, dirSizes map[string]int64) int {
	if ad, bd := a.Opens(), b.Opens(); ad != bd {
		if ad {
			return -1
		}
		return 1
	}
	var c int
	switch spec.key {
	case bySize:
		c = cmp.Compare(sortSize(b, dirSizes), sortSize(a, dirSizes))
	case byTime:
		c = cmp.Compare(b.mtime, a.mtime)
	}
	if c == 0 {
		c = strings.Compare(a.lower, b.lower) // case ignored
	}
	if c == 0 {
		c = strings.Compare(a.name, b.name)
	}
	if spec.reverse {
		return -c
	}
	return c
}
