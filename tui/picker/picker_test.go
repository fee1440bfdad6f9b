package picker

import (
	"errors"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/internal/tuitest"
)

// hosts is what the fake ssh config lists.
var hosts = []Host{
	{Alias: "web1", HostName: "web1.example.com", User: "deploy"},
	{Alias: "db", HostName: "10.0.0.5", User: "postgres"},
	{Alias: "backup\x1b[31m", HostName: "nas.lan"},
}

// newPicker returns a picker for the right pane with the hosts loaded.
func newPicker(t *testing.T) *Model {
	t.Helper()
	km := common.DefaultKeyMap()
	pk := New(5, common.Right, true, true, &km)
	if !pk.Loading() {
		t.Fatal("a picker waiting for hosts does not say so")
	}
	msg := Load(5, func() ([]Host, error) { return hosts, nil })().(HostsMsg)
	pk.SetHosts(msg)
	return pk
}

// typeText types s into pk.
func typeText(pk *Model, s string) {
	for _, r := range s {
		pk.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func TestFilter(t *testing.T) {
	pk := newPicker(t)
	if got := pk.Labels(); !slices.Equal(got, []string{"local", "web1", "db", `backup\x1b[31m`}) {
		t.Fatalf("items %q", got)
	}
	for _, tt := range []struct {
		typed string
		want  []string
	}{
		{"EXAMPLE", []string{"web1", "EXAMPLE"}},
		{"wb", []string{"web1", "wb"}},
		{"db", []string{"db"}},
		{"loc", []string{"local", "loc"}},
		{"postgres", []string{"db", "postgres"}},
	} {
		pk.Update(tuitest.Key("ctrl+u"))
		typeText(pk, tt.typed)
		if got := pk.Labels(); !slices.Equal(got, tt.want) {
			t.Errorf("%q: %q, want %q", tt.typed, got, tt.want)
		}
	}
	pk.Update(tuitest.Key("ctrl+u"))
	pk.Update(tea.PasteMsg{Content: "nas"})
	if got := pk.Labels(); !slices.Equal(got, []string{`backup\x1b[31m`, "nas"}) {
		t.Errorf("paste: %q", got)
	}
}

func TestKeysPickAndClose(t *testing.T) {
	pk := newPicker(t)
	if res := pk.Update(tuitest.Key("enter")); res != (PickMsg{ID: 5, Side: common.Right, Alias: "local", Label: "local", Local: true}) {
		t.Errorf("enter on local: %#v", res)
	}
	pk.Update(tuitest.Key("down"))
	pk.Update(tuitest.Key("down"))
	pk.Update(tuitest.Key("down"))
	pk.Update(tuitest.Key("up"))
	if res := pk.Update(tuitest.Key("enter")); res != (PickMsg{ID: 5, Side: common.Right, Alias: "db", Label: "db"}) {
		t.Errorf("enter on db: %#v", res)
	}
	pk.Update(tuitest.Key("down"))
	pk.Update(tuitest.Key("down"))
	pk.Update(tuitest.Key("down")) // stays on the last
	if res := pk.Update(tuitest.Key("enter")); res != (PickMsg{ID: 5, Side: common.Right, Alias: "backup\x1b[31m", Label: `backup\x1b[31m`}) {
		t.Errorf("enter on the last: %#v", res)
	}
	if res := pk.Update(tuitest.Key("esc")); res != (CloseMsg{ID: 5}) {
		t.Errorf("esc: %#v", res)
	}
	typeText(pk, "zzz")
	pk.Update(tuitest.Key("ctrl+u"))
	typeText(pk, "nothing matches this")
	if res := pk.Update(tuitest.Key("enter")); res != (PickMsg{ID: 5, Side: common.Right, Alias: "nothing matches this", Label: "nothing matches this"}) {
		t.Errorf("enter on a typed alias: %#v", res)
	}
}

func TestHostsError(t *testing.T) {
	km := common.DefaultKeyMap()
	pk := New(1, common.Left, false, true, &km)
	pk.SetHosts(HostsMsg{ID: 1, Err: errors.New("bad line\x1b[2J")})
	if pk.Loading() || pk.Err() != `cannot read the hosts: bad line\x1b[2J` || len(pk.Labels()) != 0 {
		t.Errorf("loading %v err %q items %q", pk.Loading(), pk.Err(), pk.Labels())
	}
	if out := pk.Screen(&common.Styles{}, 60, 6); !strings.Contains(out, "no host matches") || !strings.Contains(out, "left pane") {
		t.Errorf("screen:\n%s", out)
	}
	if res := pk.Update(tuitest.Key("enter")); res != nil {
		t.Errorf("enter with nothing offered: %#v", res)
	}
}

func TestConnectingCancels(t *testing.T) {
	km := common.DefaultKeyMap()
	c := NewConnecting(9, "web1", common.Right, &km)
	if res := c.Update(tuitest.Key("q")); res != nil {
		t.Errorf("q: %#v", res)
	}
	c.Warn("Warning: Permanently added web1")
	out := c.Screen(&common.Styles{}, 60, 6)
	if !strings.Contains(out, "connecting to web1…") || !strings.Contains(out, "Permanently added") || c.LastWarning() == "" {
		t.Errorf("screen:\n%s", out)
	}
	if res := c.Update(tuitest.Key("esc")); res != (CancelMsg{ID: 9}) {
		t.Errorf("esc: %#v", res)
	}
}
