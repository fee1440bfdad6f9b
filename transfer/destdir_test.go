package transfer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

func TestMustBeDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, fsys := context.Background(), local.New()
	for typed, want := range map[string]string{
		"": "", "new": "", "file": "", ".": "", "./": "",
		"new/": "no such directory", "file/": "not a directory",
	} {
		err := transfer.MustBeDir(ctx, fsys, filepath.Join(dir, typed), typed)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: %v", typed, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), typed)):
			t.Errorf("%q: %v, want an error naming it and saying %q", typed, err, want)
		}
	}
}
