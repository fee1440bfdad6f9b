package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
)

// pane is one side of the file manager: a directory on one file system, its
// listing, the rows shown (sorted, hidden files and the filter applied), the
// selection, a cursor and the viewport that follows it.
type pane struct {
	fs   transfer.FS
	side side
	keys *KeyMap // for the hints that name keys

	path     string  // directory shown; "" until the first listing arrives
	homeDir  string  // the file system's home, once a listing found it
	entries  []entry // the listing of path; immutable once set
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

	ctx     context.Context    // parent of every listing request
	reqID   uint64             // latest request; older results are stale
	cancel  context.CancelFunc // cancels the latest request
	pending string             // name to put the cursor on when reqID lands
	loading bool               // the latest request is still running
	reqDir  string             // directory of the latest request ("" is home)
	// lostRetried is set when the latest request repeats one whose
	// connection dropped under it.
	lostRetried bool

	conn string // "" while the connection is up, else what the header says
}

// newPane returns a pane over fsys; nothing is listed until load.
func newPane(ctx context.Context, fsys transfer.FS, sd side, keys *KeyMap) pane {
	return pane{fs: fsys, side: sd, keys: keys, ctx: ctx, showHidden: true}
}

// handleLoaded applies a listing if it answers the latest request and
// returns the error to report, if any, and a Cmd that re-sorts the listing
// when the order changed while it loaded. On error the previous listing
// stays.
func (p *pane) handleLoaded(msg dirLoadedMsg) (tea.Cmd, error) {
	if msg.reqID != p.reqID {
		return nil, nil // stale: a newer request superseded it
	}
	p.loading = false
	p.close()
	target := p.pending
	p.pending = ""
	if msg.err != nil {
		return nil, msg.err
	}
	sameDir := p.loaded && msg.path == p.path
	keep := map[string]bool{}
	if sameDir {
		if e, ok := p.current(); ok && target == "" {
			target = e.name // a refresh keeps the cursor on its entry
		}
		for i, sel := range p.selected {
			if sel {
				keep[p.entries[i].name] = true
			}
		}
	} else {
		p.filter = "" // changing directory clears the filter
	}
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
	if i := p.rowOf(target); i >= 0 {
		p.cursor = i
	}
	p.clampCursor()
	if p.spec != p.wantSpec {
		return p.resort(p.wantSpec), nil // asked for while loading
	}
	return nil, nil
}

// handleSorted applies a new order if it answers the latest sort request
// of the current listing, keeping the cursor on its entry.
func (p *pane) handleSorted(msg sortedMsg) {
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

// load starts listing dir (the home directory when empty), cancelling any
// earlier request; when it lands the cursor goes to the entry named
// selectName, if present.
func (p *pane) load(dir, selectName string) tea.Cmd {
	if p.fs == nil {
		return nil
	}
	p.close()
	ctx, cancel := context.WithCancel(p.ctx)
	p.reqID++
	p.cancel = cancel
	p.pending = selectName
	p.loading = true
	p.reqDir = dir
	p.lostRetried = false
	return loadDir(ctx, p.fs, p.side, p.reqID, dir, p.wantSpec)
}

// refresh lists the current directory again, keeping the cursor on the
// entry named selectName or, when empty, on the entry under it.
func (p *pane) refresh(selectName string) tea.Cmd {
	if !p.loaded {
		return p.load("", selectName)
	}
	return p.load(p.path, selectName)
}

// retry lists the current directory again, or, when nothing was listed
// yet, the directory last asked for.
func (p *pane) retry() tea.Cmd {
	if !p.loaded {
		return p.load(p.reqDir, "")
	}
	return p.refresh("")
}

// setFS shows another file system, starting in its home directory.
func (p *pane) setFS(fsys transfer.FS) tea.Cmd {
	p.close()
	*p = pane{fs: fsys, side: p.side, keys: p.keys, ctx: p.ctx, showHidden: p.showHidden,
		width: p.width, height: p.height, focused: p.focused, reqID: p.reqID,
		spec: p.spec, wantSpec: p.wantSpec, gen: p.gen + 1}
	return p.load("", "")
}

// open enters the directory (or link to one) under the cursor; files are
// left alone.
func (p *pane) open() tea.Cmd {
	e, ok := p.current()
	if !ok || !e.opens() {
		return nil
	}
	return p.load(p.fs.Join(p.path, e.name), "")
}

// parent lists the parent directory, putting the cursor on the one we left.
func (p *pane) parent() tea.Cmd {
	if !p.loaded {
		return nil
	}
	up := p.fs.Dir(p.path)
	if up == p.path {
		return nil // at the root
	}
	return p.load(up, p.fs.Base(p.path))
}

// home lists the file system's home directory.
func (p *pane) home() tea.Cmd { return p.load("", "") }

// cycleSort moves to the next sort key; reverseSort flips the direction.
// Both sort in a Cmd, so a huge listing never stalls the keyboard.
func (p *pane) cycleSort() tea.Cmd { return p.resort(p.wantSpec.next()) }

// reverseSort flips the sort direction.
func (p *pane) reverseSort() tea.Cmd {
	s := p.wantSpec
	s.reverse = !s.reverse
	return p.resort(s)
}

// resort asks for the listing in order spec.
func (p *pane) resort(spec sortSpec) tea.Cmd {
	p.wantSpec = spec
	p.sortReq++
	if !p.loaded || p.loading {
		return nil // handleLoaded sorts again when the listing lands
	}
	return sortCmd(p.entries, p.side, p.sortReq, p.gen, spec)
}

// close cancels the running request, if any.
func (p *pane) close() {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
}

// setSize gives the pane its width and height, header included.
func (p *pane) setSize(width, height int) {
	p.width, p.height = max(width, 0), max(height, 0)
	p.clampCursor()
}

// setFocused marks the pane as the one receiving keys.
func (p *pane) setFocused(focused bool) { p.focused = focused }

// label is "label:/path" for headers and dialogs, sanitised.
func (p *pane) label() string {
	if p.fs == nil {
		return "?"
	}
	return text.Sanitize(p.fs.Label()) + ":" + text.Sanitize(p.path)
}
