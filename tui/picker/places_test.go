package picker

import (
	"slices"
	"testing"

	"github.com/ferry-tui/ferry/places"
	"github.com/ferry-tui/ferry/tui/internal/tuitest"
)

func TestRecentHostsAndBookmarksComeFirst(t *testing.T) {
	pk := newPicker(t)
	pk.SetPlaces([]string{"db", "gone.example"}, []places.Bookmark{
		{Name: "www", Host: "web1", Path: "/srv/www"},
		{Name: "tmp", Host: "local", Local: true, Path: "/tmp"},
	})
	want := []string{"db", "gone.example", "★ www", "★ tmp", "local", "web1", `backup\x1b[31m`}
	if got := pk.Labels(); !slices.Equal(got, want) {
		t.Fatalf("items %q, want %q", got, want)
	}
	// A remote bookmark connects to host:path.
	pk.Update(tuitest.Key("down"))
	pk.Update(tuitest.Key("down"))
	msg, ok := pk.Update(tuitest.Key("enter")).(PickMsg)
	if !ok || msg.Alias != "web1:/srv/www" || msg.Local {
		t.Fatalf("picked %+v", msg)
	}
	// A local one opens "local" at its directory.
	pk.Update(tuitest.Key("down"))
	msg, ok = pk.Update(tuitest.Key("enter")).(PickMsg)
	if !ok || !msg.Local || msg.Dir != "/tmp" {
		t.Fatalf("picked %+v", msg)
	}
	// Typing filters the bookmarks by name or place, and the recent hosts.
	typeText(pk, "srv")
	if got := pk.Labels(); !slices.Equal(got, []string{"★ www", "srv"}) {
		t.Fatalf("filtered %q", got)
	}
	pk.Update(tuitest.Key("ctrl+u"))
	typeText(pk, "db")
	if got := pk.Labels(); !slices.Equal(got, []string{"db"}) {
		t.Fatalf("filtered %q", got)
	}
}
