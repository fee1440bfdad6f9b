package pane

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
)

// SetDirSize shows size in the size column of the directory name, when
// the pane still shows dir: the total "show directory sizes" computed. A
// listing of another directory forgets the sizes; a refresh keeps them.
// When the listing is sorted by size, the Cmd returned sorts it again,
// the directory counting with its total.
func (p *Model) SetDirSize(dir, name string, size int64) tea.Cmd {
	if dir != p.path {
		return nil
	}
	if p.dirSizes == nil {
		p.dirSizes = map[string]int64{}
	}
	p.dirSizes[name] = size
	if p.wantSpec.key != bySize {
		return nil
	}
	return p.resort(p.wantSpec)
}

// DirSize returns the computed size of the directory name in the
// directory shown; ok is false when none was computed.
func (p *Model) DirSize(name string) (size int64, ok bool) {
	size, ok = p.dirSizes[name]
	return size, ok
}

// sizeCell is the size column: a human size for files and for
// directories whose size was computed, <DIR> for other directories and
// links to them.
func (p *Model) sizeCell(e *Entry) string {
	if e.Opens() {
		if n, ok := p.dirSizes[e.name]; ok && e.IsDir() {
			return text.Size(n)
		}
		return "<DIR>"
	}
	return text.Size(e.size)
}
