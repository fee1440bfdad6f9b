package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/common"
)

// hostsLoadedMsg carries the hosts the picker offers.
type hostsLoadedMsg struct {
	id    uint64
	hosts []HostEntry
	err   error
}

// pickItem is one line of the host picker.
type pickItem struct {
	alias  string // raw: what Connect gets
	label  string // sanitised alias
	detail string // sanitised "user@hostname"
	local  bool   // the "local" entry
}

// hostPicker lists "local" and the configured hosts, filtered by typing,
// and opens the chosen one in a pane.
type hostPicker struct {
	km      *KeyMap
	id      uint64
	side    side
	input   common.LineInput
	hosts   []HostEntry
	local   bool // offer "local"
	loading bool
	err     string // why the hosts could not be read, or the last connect failed
	items   []pickItem
	cursor  int
}

// Help returns the picker's bindings for the help bar.
func (pk *hostPicker) Help() help.KeyMap {
	k := pk.km
	return common.Bindings{
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose")),
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "connect")),
		k.Cancel,
	}
}

// resize fits the input to a window width cells wide.
func (pk *hostPicker) SetSize(width, _ int) {
	pk.input.SetWidth(max(width-ansi.StringWidth(pk.input.Prompt)-3, 1))
}

// openPicker shows the host picker for the pane on side s and reads the
// hosts in a Cmd.
func (m *Model) openPicker(s side) tea.Cmd {
	pk := &hostPicker{km: &m.keys, id: m.newID(), side: s, local: m.opts.Local != nil}
	pk.input.Prompt = "host: "
	pk.input.Placeholder = "type to filter, or an alias or user@host"
	pk.SetSize(m.width, 0)
	m.push(pk)
	if m.opts.Hosts == nil {
		pk.refilter()
		return nil
	}
	pk.loading = true
	pk.refilter()
	hosts, id := m.opts.Hosts, pk.id
	return func() tea.Msg {
		hs, err := hosts()
		return hostsLoadedMsg{id: id, hosts: hs, err: err}
	}
}

// handleHostsLoaded fills the picker.
func (m *Model) handleHostsLoaded(msg hostsLoadedMsg) {
	pk := m.currentPicker()
	if pk == nil || pk.id != msg.id {
		return
	}
	pk.loading = false
	pk.hosts = msg.hosts
	if msg.err != nil {
		pk.err = "cannot read the hosts: " + text.Sanitize(msg.err.Error())
	}
	pk.refilter()
}

// currentPicker returns the open picker, also while it waits behind a
// connection attempt.
func (m *Model) currentPicker() *hostPicker {
	pk, _ := findOverlay[*hostPicker](m)
	return pk
}

// refilter rebuilds the items from the typed text: substring matches on
// alias, host name or user first, then aliases holding the typed letters
// in order (fuzzy); an alias not in the list can be typed in full.
func (pk *hostPicker) refilter() {
	q := strings.ToLower(strings.TrimSpace(pk.input.Value()))
	pk.items = pk.items[:0]
	if pk.local && strings.Contains("local", q) {
		pk.items = append(pk.items, pickItem{alias: "local", label: "local", detail: "this computer", local: true})
	}
	var fuzzy []pickItem
	exact := q == "local" && pk.local
	for _, h := range pk.hosts {
		item := pickItem{alias: h.Alias, label: text.Sanitize(h.Alias), detail: hostDetail(h)}
		alias := strings.ToLower(h.Alias)
		exact = exact || alias == q
		switch {
		case q == "" || strings.Contains(alias, q) || strings.Contains(strings.ToLower(h.HostName), q) || strings.Contains(strings.ToLower(h.User), q):
			pk.items = append(pk.items, item)
		case subsequence(alias, q):
			fuzzy = append(fuzzy, item)
		}
	}
	pk.items = append(pk.items, fuzzy...)
	if raw := strings.TrimSpace(pk.input.Value()); raw != "" && !exact {
		pk.items = append(pk.items, pickItem{alias: raw, label: text.Sanitize(raw), detail: "connect to this"})
	}
	pk.cursor = max(min(pk.cursor, len(pk.items)-1), 0)
}

// hostDetail is "user@hostname", "hostname" or "".
func hostDetail(h HostEntry) string {
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

// handlePickerKey moves in the list, connects on Enter, closes on Esc and
// sends everything else to the filter input.
func (m *Model) handlePickerKey(pk *hostPicker, msg tea.KeyPressMsg) tea.Cmd {
	switch s := msg.String(); {
	case key.Matches(msg, m.keys.Cancel):
		return m.closed(pk)
	case key.Matches(msg, m.keys.Submit):
		return m.pick(pk)
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

// pick opens the item under the cursor.
func (m *Model) pick(pk *hostPicker) tea.Cmd {
	if pk.cursor >= len(pk.items) {
		return nil
	}
	item := pk.items[pk.cursor]
	if item.local {
		m.closeOverlay(pk)
		return tea.Batch(m.replaceFS(pk.side, m.opts.Local, false), m.offerConflict())
	}
	if m.opts.Connect == nil {
		pk.err = "connecting is not available"
		return nil
	}
	return m.startConnect(pk, item)
}

// Screen renders the picker: a title, the filter input and the hosts.
func (pk *hostPicker) Screen(st *Styles, width, height int) string {
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
			text := " " + common.Fit(it.label, labelW) + "  " + it.detail
			if i == pk.cursor {
				lines = append(lines, st.Cursor.Render(common.Fit(text, width)))
			} else {
				lines = append(lines, st.File.Render(common.Fit(" "+common.Fit(it.label, labelW), labelW+1))+st.Meta.Render(common.Fit("  "+it.detail, width-labelW-1)))
			}
		}
		if len(pk.items) == 0 && !pk.loading {
			lines = append(lines, st.Hint.Render(common.Fit(" no host matches", width)))
		}
	}
	blank := strings.Repeat(" ", width)
	for len(lines) < height {
		lines = append(lines, blank)
	}
	return strings.Join(lines[:height], "\n")
}
