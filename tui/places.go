package tui

import (
	"slices"

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
	// Save replaces what was saved with p.
	Save(p places.Places) error
}

// placesLoadedMsg carries what the store had at start.
type placesLoadedMsg struct {
	p   places.Places
	err error
}

// placesSavedMsg reports the end of a save.
type placesSavedMsg struct{ err error }

// placeBook is the bookmarks and recent hosts, and their saving: one save
// at a time, the latest state saved last, nothing saved before what was
// stored has been read (it would be lost).
type placeBook struct {
	p      places.Places
	store  PlaceStore // nil: kept for this run only
	loaded bool       // the store was read (or there is none)
	saving bool       // a save runs
	dirty  bool       // changed since the running save started
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

// handleLoaded puts what was stored before what this run added already,
// and saves the union when this run changed something meanwhile. A store
// that cannot be read is not written either, so it is not replaced.
func (b *placeBook) handleLoaded(msg placesLoadedMsg, st *status) tea.Cmd {
	if msg.err != nil {
		st.setError(msg.err)
		b.store, b.loaded = nil, true
		return nil
	}
	b.loaded = true
	b.p.Bookmarks = append(msg.p.Bookmarks, b.p.Bookmarks...)
	recent := b.p.Recent
	b.p.Recent = msg.p.Recent
	for _, h := range slices.Backward(recent) {
		b.p.Remember(h)
	}
	if b.dirty {
		return b.save()
	}
	return nil
}

// save returns the Cmd saving the current state, or nil when a save runs
// (the state is saved again when it ends) or the store is not read yet.
func (b *placeBook) save() tea.Cmd {
	b.dirty = true
	if b.store == nil || !b.loaded || b.saving {
		return nil
	}
	b.saving, b.dirty = true, false
	snap := places.Places{Bookmarks: slices.Clone(b.p.Bookmarks), Recent: slices.Clone(b.p.Recent)}
	store := b.store
	return func() tea.Msg { return placesSavedMsg{err: store.Save(snap)} }
}

// handleSaved starts the next save if the state changed meanwhile.
func (b *placeBook) handleSaved(msg placesSavedMsg, st *status) tea.Cmd {
	b.saving = false
	if msg.err != nil {
		st.setError(msg.err)
	}
	if b.dirty {
		return b.save()
	}
	return nil
}

// remember records host as opened now and saves.
func (b *placeBook) remember(host string) tea.Cmd {
	b.p.Remember(host)
	return b.save()
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
