package transfer_test

import (
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/transfer"
)

// TestSeparatorMatchesJoin: what Separator says is what Join puts between
// elements, on both file systems; the engine and the UI build and compare
// paths with it.
func TestSeparatorMatchesJoin(t *testing.T) {
	t.Parallel()
	for _, fsys := range []transfer.FS{local.New(), &remote.FS{}} {
		if got, want := fsys.Join("a", "b"), "a"+fsys.Separator()+"b"; got != want {
			t.Errorf("%T: Join(a, b) = %q, but Separator is %q", fsys, got, fsys.Separator())
		}
	}
	if got := (&remote.FS{}).Separator(); got != "/" {
		t.Errorf("remote separator %q, want /", got)
	}
}
