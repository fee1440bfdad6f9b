package pane

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/tui/common"
)

func TestListErrorUnwraps(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone")
	msg := loadDir(t.Context(), local.New(), common.Right, 7, missing, sortSpec{}, false)().(LoadedMsg)
	if msg.side != common.Right || msg.reqID != 7 || msg.path != missing {
		t.Errorf("msg = %+v", msg)
	}
	if !errors.Is(msg.err, fs.ErrNotExist) {
		t.Errorf("errors.Is(%v, fs.ErrNotExist) = false", msg.err)
	}
	if got, want := msg.err.Error(), "cannot list "+missing+": no such file or directory"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}
