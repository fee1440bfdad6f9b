package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/places"
	"github.com/ferry-tui/ferry/tui/picker"
)

// PlaceStore keeps the bookmarks and the recent hosts across runs
// (places.Store does, in the state directory). Its methods are called in
// Cmds, one at a time.
type PlaceStore interface {
	// Load returns what was saved; nothing saved is no error.
	Load() (places.Places, error)
	// Update reads what was saved, applies change, saves and returns the
	// result: another ferry's changes in between are kept.
	Update(change func(*places.Places)) (places.Places, error)
}

// placesLoadedMsg carries what the store had at start.
type placesLoadedMsg struct {
	p   places.Places
	err error
}

// placesSavedMsg reports the end of a save and what the store holds now.
type placesSavedMsg struct {
	p   places.Places
	err error
}

// change is one thing the user did to the places.
type change func(*places.Places)

// placeBook is the bookmarks and recent hosts as this run sees them, and
// the changes not saved yet. Each change applies to p at once and is
// sent to the store later, one save at a time, as a change rather than a
// whole list, so that another ferry's changes meanwhile are kept; nothing
// is saved before the store has been read.
type placeBook struct {
	p       places.Places
	store   PlaceStore // nil: kept for this run only
	loaded  bool       // the store was read (or there is none)
	saving  bool       // a save runs
	pending []change   // not sent to the store yet
}

// load returns the Cmd reading the store, nil without one.
func (b *placeBook) load() tea.Cmd {
	if b.store == nil {
		b.loaded = true
		return nil
	}
	store := b.store
	return func() tea.Msg {
		p, err := store.Load()
		return placesLoadedMsg{p: p, err: err}
	}
}

// apply makes c and remembers it for the next save, which it starts.
func (b *placeBook) apply(c change) tea.Cmd {
	c(&b.p)
	b.pending = append(b.pending, c)
	return b.save()
}

// handleLoaded takes what was stored, with this run's changes made since
// on top, and saves those. A store that cannot be read is not written
// either, so it is not replaced.
func (b *placeBook) handleLoaded(msg placesLoadedMsg, st *status) tea.Cmd {
	if msg.err != nil {
		st.setError(msg.err)
		b.store, b.loaded, b.pending = nil, true, nil
		return nil
	}
	b.loaded = true
	b.p = msg.p
	b.replay()
	return b.save()
}

// replay applies the changes not saved yet to p.
func (b *placeBook) replay() {
	for _, c := range b.pending {
		c(&b.p)
	}
}

// save returns the Cmd sending the pending changes to the store, or nil
// when there are none, a save runs (the next starts when it ends) or the
// store is not read yet.
func (b *placeBook) save() tea.Cmd {
	if b.store == nil {
		b.pending = nil
		return nil
	}
	if !b.loaded || b.saving || len(b.pending) == 0 {
		return nil
	}
	b.saving = true
	changes := b.pending
	b.pending = nil
	store := b.store
	return func() tea.Msg {
		p, err := store.Update(func(p *places.Places) {
			for _, c := range changes {
				c(p)
			}
		})
		return placesSavedMsg{p: p, err: err}
	}
}

// handleSaved takes what the store holds now, with the changes made
// meanwhile on top, and starts saving those.
func (b *placeBook) handleSaved(msg placesSavedMsg, st *status) tea.Cmd {
	b.saving = false
	if msg.err != nil {
		st.setError(msg.err)
		return b.save()
	}
	b.p = msg.p
	b.replay()
	return b.save()
}

// remember records host as opened now and saves.
func (b *placeBook) remember(host string) tea.Cmd {
	return b.apply(func(p *places.Places) { p.Remember(host) })
}

// handlePlacesLoaded takes in what the store had and refreshes an open
// picker with it.
func (m *Model) handlePlacesLoaded(msg placesLoadedMsg) tea.Cmd {
	cmd := m.places.handleLoaded(msg, &m.status)
	if pk, ok := findOverlay[*picker.Model](&m.stack); ok {
		pk.SetPlaces(m.places.p.Recent, m.places.p.Bookmarks)
	}
	return cmd
}
