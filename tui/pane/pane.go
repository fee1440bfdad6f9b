// Package pane is one side of ferry's file manager: a directory on one
// file system, its listing sorted and filtered, the selection, a cursor
// and the viewport that follows it. It lists directories through a
// transfer.FS inside tea.Cmds (Load returns one; the root routes the
// LoadedMsg back by Side) and never touches a disk itself. Every name
// it shows is sanitised before it is measured or drawn.
package pane

import (
	"context"
	"maps"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
)

// Model is one side of the file manager: a directory on one file system, its
// listing, the rows shown (sorted, hidden files and the filter applied), the
// selection, a cursor and the viewport that follows it.
type Model struct {
	fs   transfer.FS
	side common.Side
	keys *common.KeyMap // for the hints that name keys

	path     string  // directory shown; "" until the first listing arrives
	homeDir  string  // the file system's home, once a listing found it
	entries  []Entry // the listing of path; immutable once set
	order    []int32 // entries sorted by spec
	rows     []int32 // order without what is hidden or filtered out
	selected []bool  // by entry index
	nSel     int     // how many entries are selected
	selBytes int64   // their files' total size, kept with nSel
	gen      uint64  // bumped whenever entries is replaced

	spec       sortSpec // order of `order`
	wantSpec   sortSpec // order asked for; differs while a sort runs
	sortReq    uint64   // latest sort request
	showHidden bool     // show dot files
	filter     string   // lower-cased live filter; "" shows everything

	loaded  bool // a listing has arrived at least once
	cursor  int  // index into rows
	offset  int  // index of the first visible row
	width   int
	height  int // header included
	focused bool

	ctx     context.Context    // Parent of every listing request
	reqID   uint64             // latest request; older results are stale
	cancel  context.CancelFunc // cancels the latest request
	pending string             // name to put the cursor on when reqID lands
	loading bool               // the latest request is still running
	reqDir  string             // directory of the latest request ("" is home)
	// lostRetried is set when the latest request repeats one whose
	// connection dropped under it.
	lostRetried bool

	conn string // "" while the connection is up, else what the header says

	hist     history          // the directories shown before and after this one
	dirSizes map[string]int64 // computed directory sizes, by name (see SetDirSize)
}

// New returns the pane on side sd over fsys, whose requests are children
// of ctx; nothing is listed until Load.
func New(ctx context.Context, fsys transfer.FS, sd common.Side, keys *common.KeyMap) Model {
	return Model{fs: fsys, side: sd, keys: keys, ctx: ctx, showHidden: true}
}

// HandleLoaded applies a listing if it answers the latest request and
// returns the error to report, if any, and a Cmd that re-sorts the listing
// when the order changed while it loaded. On error the previous listing
// stays.
func (p *Model) HandleLoaded(msg LoadedMsg) (tea.Cmd, error) {
	if msg.reqID != p.reqID {
		return nil, nil // stale: a newer request superseded it
	}
	p.loading = false
	p.Close()
	target := p.pending
	p.pending = ""
	if msg.err != nil {
		return nil, msg.err
	}
	sameDir := p.loaded && msg.path == p.path
	keep := map[string]bool{}
	if sameDir {
		if e, ok := p.Current(); ok && target == "" {
			target = e.name // a refresh keeps the cursor on its entry
		}
		for i, sel := range p.selected {
			if sel {
				keep[p.entries[i].name] = true
			}
		}
	} else {
		p.filter = "" // changing directory clears the filter
		if p.loaded {
			from := place{dir: p.path}
			if e, ok := p.Current(); ok {
				from.name = e.name
			}
			p.hist.moved(from)
		}
		p.dirSizes = nil
	}
	p.hist.moving = 0
	p.path, p.entries, p.order, p.loaded = msg.path, msg.entries, msg.order, true
	if msg.home {
		p.homeDir = msg.path
	}
	p.spec = msg.spec
	p.gen++
	p.selected = make([]bool, len(p.entries))
	p.nSel, p.selBytes = 0, 0
	for i := range p.entries {
		if keep[p.entries[i].name] {
			p.selected[i] = true
			p.nSel++
			p.selBytes += p.entries[i].selWeight()
		}
	}
	cursor := p.cursor
	if !sameDir {
		cursor, p.offset = 0, 0
	}
	p.rebuildRows()
	p.cursor = cursor // where it was when the entry is gone
	if i := p.RowOf(target); i >= 0 {
		p.cursor = i
	}
	p.clampCursor()
	var err error
	if msg.missed != nil {
		err = &StartDirError{Home: msg.path, err: msg.missed}
	}
	if p.spec != p.wantSpec || p.spec.key == bySize && len(p.dirSizes) > 0 {
		// Asked for while loading, or a refresh sorted by size without
		// the directory sizes it keeps.
		return p.resort(p.wantSpec), err
	}
	return nil, err
}

// HandleSorted applies a new order if it answers the latest sort request
// of the current listing, keeping the cursor on its entry.
func (p *Model) HandleSorted(msg SortedMsg) {
	if msg.reqID != p.sortReq || msg.gen != p.gen {
		return
	}
	cur, ok := p.currentIndex()
	p.order, p.spec = msg.order, msg.spec
	p.rebuildRows()
	if ok {
		p.cursorToIndex(cur)
	}
}

// Load starts listing dir (the home directory when empty, relative to it
// when relative), cancelling any earlier request; when it lands the cursor
// goes to the entry named selectName, if present. Until a listing has
// arrived, a dir that cannot be listed as a directory gives way to the
// home directory, and HandleLoaded returns a *StartDirError saying so.
func (p *Model) Load(dir, selectName string) tea.Cmd {
	if p.fs == nil {
		return nil
	}
	p.Close()
	ctx, cancel := context.WithCancel(p.ctx)
	p.reqID++
	p.cancel = cancel
	p.pending = selectName
	p.loading = true
	p.reqDir = dir
	p.lostRetried = false
	p.hist.moving = 0
	return loadDir(ctx, p.fs, p.side, p.reqID, dir, p.wantSpec, !p.loaded && dir != "")
}

// Refresh lists the current directory again, keeping the cursor on the
// entry named selectName or, when empty, on the entry under it.
func (p *Model) Refresh(selectName string) tea.Cmd {
	if !p.loaded {
		return p.Load("", selectName)
	}
	return p.Load(p.path, selectName)
}

// Retry lists the current directory again, or, when nothing was listed
// yet, the directory last asked for.
func (p *Model) Retry() tea.Cmd {
	if !p.loaded {
		return p.Load(p.reqDir, "")
	}
	return p.Refresh("")
}

// SetFS shows another file system, starting in its home directory.
func (p *Model) SetFS(fsys transfer.FS) tea.Cmd { return p.SetFSAt(fsys, "") }

// SetFSAt shows another file system, starting in dir (see Load).
func (p *Model) SetFSAt(fsys transfer.FS, dir string) tea.Cmd {
	p.Close()
	*p = Model{fs: fsys, side: p.side, keys: p.keys, ctx: p.ctx, showHidden: p.showHidden,
		width: p.width, height: p.height, focused: p.focused, reqID: p.reqID,
		spec: p.spec, wantSpec: p.wantSpec, gen: p.gen + 1}
	return p.Load(dir, "")
}

// Open enters the directory (or link to one) under the cursor; files are
// left alone.
func (p *Model) Open() tea.Cmd {
	e, ok := p.Current()
	if !ok || !e.Opens() {
		return nil
	}
	return p.Load(p.fs.Join(p.path, e.name), "")
}

// Parent lists the parent directory, putting the cursor on the one we left.
func (p *Model) Parent() tea.Cmd {
	if !p.loaded {
		return nil
	}
	up := p.fs.Dir(p.path)
	if up == p.path {
		return nil // at the root
	}
	return p.Load(up, p.fs.Base(p.path))
}

// Home lists the file system's home directory.
func (p *Model) Home() tea.Cmd { return p.Load("", "") }

// CycleSort moves to the next sort key; reverseSort flips the direction.
// Both sort in a Cmd, so a huge listing never stalls the keyboard.
func (p *Model) CycleSort() tea.Cmd { return p.resort(p.wantSpec.next()) }

// ReverseSort flips the sort direction.
func (p *Model) ReverseSort() tea.Cmd {
	s := p.wantSpec
	s.reverse = !s.reverse
	return p.resort(s)
}

// resort asks for the listing in order spec.
func (p *Model) resort(spec sortSpec) tea.Cmd {
	p.wantSpec = spec
	p.sortReq++
	if !p.loaded || p.loading {
		return nil // HandleLoaded sorts again when the listing lands
	}
	var sizes map[string]int64
	if spec.key == bySize {
		sizes = maps.Clone(p.dirSizes) // SetDirSize adds to p's while the Cmd runs
	}
	return sortCmd(p.entries, sizes, p.side, p.sortReq, p.gen, spec)
}

// Close cancels the running request, if any.
func (p *Model) Close() {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
}

// SetSize gives the pane its width and height, header included.
func (p *Model) SetSize(width, height int) {
	p.width, p.height = max(width, 0), max(height, 0)
	p.clampCursor()
}

// SetFocused marks the pane as the one receiving keys.
func (p *Model) SetFocused(focused bool) { p.focused = focused }

// Label is "label:/path" for headers and dialogs, sanitised.
func (p *Model) Label() string {
	if p.fs == nil {
		return "?"
	}
	return text.Sanitize(p.fs.Label()) + ":" + text.Sanitize(p.path)
}
