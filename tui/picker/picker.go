// Package picker is the host picker of ferry's user interface: it lists
// the hosts opened lately, the bookmarks, "local" and the hosts of the
// ssh config, filtered as the user types,
// and returns the chosen one to the root in a PickMsg. It also holds the
// Connecting screen shown while the root opens the chosen host. Neither
// dials anything: the root reads the hosts and connects inside tea.Cmds.
package picker

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/places"
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/common"
)

// Host is one host the picker offers.
type Host struct {
	// Alias is the name to connect to, as written after Host in ssh_config.
	Alias string
	// HostName is the real host name, shown beside the alias.
	HostName string
	// User is the login name, shown beside the alias.
	User string
}

// HostsMsg carries the hosts for picker ID.
type HostsMsg struct {
	// ID is the picker's.
	ID uint64
	// Hosts are the hosts read.
	Hosts []Host
	// Err is why they could not be read.
	Err error
}

// PickMsg is the picker's result when the user chose a host.
type PickMsg struct {
	// ID is the picker's.
	ID uint64
	// Side is the pane the host is for.
	Side common.Side
	// Alias is what to connect to, raw.
	Alias string
	// Label is Alias sanitised.
	Label string
	// Local says the user chose "local", this computer.
	Local bool
	// Dir is the directory of the bookmark chosen, if one was: a remote
	// bookmark's Alias is "host:path" too, for a new connection.
	Dir string
	// Host is the host of the remote bookmark chosen, if one was, so that
	// a connection to it that is open already can show it.
	Host string
}

// CloseMsg is the picker's result when the user closed it.
type CloseMsg struct {
	// ID is the picker's.
	ID uint64
}

// item is one line of the picker.
type item struct {
	alias  string // raw: what Connect gets
	label  string // sanitised alias
	detail string // sanitised "user@hostname"
	local  bool   // the "local" entry
	dir    string // a bookmark's directory
	host   string // a remote bookmark's host
}

// Model lists "local" and the configured hosts, filtered by typing.
type Model struct {
	id      uint64
	side    common.Side
	keys    *common.KeyMap
	input   common.LineInput
	hosts   []Host
	local   bool // offer "local"
	loading bool
	err     string // why the hosts could not be read, or the last connect failed
	items   []item
	cursor  int

	recent    []string          // host aliases opened lately, newest first
	bookmarks []places.Bookmark // offered after the recent hosts
}

// New returns picker id for the pane on side. With local it offers
// "local"; with loading it says the hosts are being read (see Load).
func New(id uint64, side common.Side, local, loading bool, keys *common.KeyMap) *Model {
	pk := &Model{id: id, side: side, keys: keys, local: local, loading: loading}
	pk.input.Prompt = "host: "
	pk.input.Placeholder = "type to filter, or an alias, user@host or host:path"
	pk.refilter()
	return pk
}

// Load returns a Cmd reading the hosts with hosts for picker id.
func Load(id uint64, hosts func() ([]Host, error)) tea.Cmd {
	return func() tea.Msg {
		hs, err := hosts()
		return HostsMsg{ID: id, Hosts: hs, Err: err}
	}
}

// ID returns the picker's id.
func (pk *Model) ID() uint64 { return pk.id }

// Side returns the pane the picker opens a host in.
func (pk *Model) Side() common.Side { return pk.side }

// Loading reports whether the hosts are still being read.
func (pk *Model) Loading() bool { return pk.loading }

// Err returns the error line shown, sanitised; "" when there is none.
func (pk *Model) Err() string { return pk.err }

// SetErr shows err (sanitised) above the hosts: why the last connection
// attempt failed, say.
func (pk *Model) SetErr(err string) { pk.err = err }

// Labels returns the labels of the hosts offered, in order.
func (pk *Model) Labels() []string {
	out := make([]string, len(pk.items))
	for i, it := range pk.items {
		out[i] = it.label
	}
	return out
}

// SetHosts fills the picker with the hosts of msg, which must be its own.
func (pk *Model) SetHosts(msg HostsMsg) {
	pk.loading = false
	pk.hosts = msg.Hosts
	if msg.Err != nil {
		pk.err = "cannot read the hosts: " + text.Sanitize(msg.Err.Error())
	}
	pk.refilter()
}

// SetSize fits the input to a window width cells wide.
func (pk *Model) SetSize(width, _ int) {
	pk.input.SetWidth(max(width-ansi.StringWidth(pk.input.Prompt)-3, 1))
}

// Help returns the picker's bindings for the help bar.
func (pk *Model) Help() help.KeyMap {
	return common.Bindings{
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose")),
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "connect")),
		pk.keys.Cancel,
	}
}

// Update moves in the list, picks on Enter (PickMsg), closes on Esc
// (CloseMsg) and sends everything else, pastes too, to the filter input.
func (pk *Model) Update(msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return pk.handleKey(msg)
	case tea.PasteMsg:
		pk.input.Update(msg)
		pk.refilter()
	}
	return nil
}

// handleKey handles one key press.
func (pk *Model) handleKey(msg tea.KeyPressMsg) tea.Msg {
	switch s := msg.String(); {
	case key.Matches(msg, pk.keys.Cancel):
		return CloseMsg{ID: pk.id}
	case key.Matches(msg, pk.keys.Submit):
		if pk.cursor >= len(pk.items) {
			return nil
		}
		it := pk.items[pk.cursor]
		pk.err = ""
		return PickMsg{ID: pk.id, Side: pk.side, Alias: it.alias, Label: it.label, Local: it.local, Dir: it.dir, Host: it.host}
	case s == "up" || s == "ctrl+p":
		pk.cursor = max(pk.cursor-1, 0)
		return nil
	case s == "down" || s == "ctrl+n":
		pk.cursor = max(min(pk.cursor+1, len(pk.items)-1), 0)
		return nil
	}
	pk.input.Update(msg)
	pk.refilter()
	return nil
}

// SetPlaces offers the hosts opened lately first, then the bookmarks,
// then "local" and the other hosts.
func (pk *Model) SetPlaces(recent []string, bookmarks []places.Bookmark) {
	pk.recent, pk.bookmarks = recent, bookmarks
	pk.refilter()
}

// refilter rebuilds the items from the typed text: the recent hosts and
// the bookmarks that hold it, then substring matches on alias, host name
// or user, then aliases holding the typed letters in order (fuzzy); an
// alias not in the list can be typed in full.
func (pk *Model) refilter() {
	q := strings.ToLower(strings.TrimSpace(pk.input.Value()))
	pk.items = pk.items[:0]
	known := map[string]Host{}
	for _, h := range pk.hosts {
		known[h.Alias] = h
	}
	recent := map[string]bool{}
	exact := q == "local" && pk.local
	for _, r := range pk.recent {
		recent[r] = true
		h, ok := known[r]
		if !ok {
			h = Host{Alias: r}
		}
		alias := strings.ToLower(r)
		if q == "" || strings.Contains(alias, q) {
			exact = exact || alias == q
			detail := "recent"
			if d := hostDetail(h); d != "" {
				detail += "  " + d
			}
			pk.items = append(pk.items, item{alias: r, label: text.Sanitize(r), detail: detail})
		}
	}
	for _, b := range pk.bookmarks {
		where := b.Host + ":" + b.Path
		if q != "" && !strings.Contains(strings.ToLower(b.Name), q) && !strings.Contains(strings.ToLower(where), q) {
			continue
		}
		it := item{alias: where, label: "★ " + text.Sanitize(b.Name), detail: text.Sanitize(where), dir: b.Path, host: b.Host}
		if b.Local {
			if !pk.local {
				continue
			}
			it.alias, it.local, it.host = "local", true, ""
		}
		pk.items = append(pk.items, it)
	}
	if pk.local && strings.Contains("local", q) {
		pk.items = append(pk.items, item{alias: "local", label: "local", detail: "this computer", local: true})
	}
	var fuzzy []item
	for _, h := range pk.hosts {
		it := item{alias: h.Alias, label: text.Sanitize(h.Alias), detail: hostDetail(h)}
		alias := strings.ToLower(h.Alias)
		exact = exact || alias == q
		switch {
		case recent[h.Alias]:
		case q == "" || strings.Contains(alias, q) || strings.Contains(strings.ToLower(h.HostName), q) || strings.Contains(strings.ToLower(h.User), q):
			pk.items = append(pk.items, it)
		case subsequence(alias, q):
			fuzzy = append(fuzzy, it)
		}
	}
	pk.items = append(pk.items, fuzzy...)
	if raw := strings.TrimSpace(pk.input.Value()); raw != "" && !exact {
		pk.items = append(pk.items, item{alias: raw, label: text.Sanitize(raw), detail: "connect to this"})
	}
	pk.cursor = max(min(pk.cursor, len(pk.items)-1), 0)
}

// hostDetail is "user@hostname", "hostname" or "".
func hostDetail(h Host) string {
	d := text.Sanitize(h.HostName)
	if h.User != "" {
		d = text.Sanitize(h.User) + "@" + d
	}
	return d
}

// subsequence reports whether the letters of q appear in s in order.
func subsequence(s, q string) bool {
	for _, r := range q {
		i := strings.IndexRune(s, r)
		if i < 0 {
			return false
		}
		s = s[i+len(string(r)):]
	}
	return true
}

// Screen renders the picker: a title, the filter input and the hosts.
func (pk *Model) Screen(st *common.Styles, width, height int) string {
	lines := make([]string, 0, height)
	lines = append(lines, st.HeaderFocused.Render(common.Fit(" Open a host in the "+pk.side.String()+" pane", width)))
	lines = append(lines, common.FitStyled(" "+pk.input.View(&st.Input), width))
	if pk.err != "" {
		lines = append(lines, st.StatusError.Render(common.Fit(" "+pk.err, width)))
	}
	if pk.loading {
		lines = append(lines, st.Hint.Render(common.Fit(" reading the hosts…", width)))
	}
	rows := height - len(lines)
	if rows > 0 {
		offset := max(pk.cursor-rows+1, 0)
		labelW := 0
		for _, it := range pk.items {
			labelW = max(labelW, ansi.StringWidth(it.label))
		}
		labelW = min(labelW, max(width/2, 1))
		end := min(offset+rows, len(pk.items))
		for i := offset; i < end; i++ {
			it := pk.items[i]
			line := " " + common.Fit(it.label, labelW) + "  " + it.detail
			if i == pk.cursor {
				lines = append(lines, st.Cursor.Render(common.Fit(line, width)))
			} else {
				lines = append(lines, st.File.Render(common.Fit(" "+common.Fit(it.label, labelW), labelW+1))+st.Meta.Render(common.Fit("  "+it.detail, width-labelW-1)))
			}
		}
		if len(pk.items) == 0 && !pk.loading {
			lines = append(lines, st.Hint.Render(common.Fit(" no host matches", width)))
		}
	}
	return common.PadLines(lines, width, height)
}
