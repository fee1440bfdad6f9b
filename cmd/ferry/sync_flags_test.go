package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSyncEngineFlagsAndSettings: ferry sync takes --fsync and --limit as
// cp does, refusing bad values in one line (exit 2), and a bad value in
// the settings file stops it too; good ones run.
func TestSyncEngineFlagsAndSettings(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "copy")
	if err := os.WriteFile(filepath.Join(src, "a.txt"), []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	for _, args := range [][]string{{"--fsync=sometimes"}, {"--limit", "fast"}} {
		code, _, stderr := ferryIn(t, home, append(append([]string{"sync"}, args...), src, dst)...)
		if code != 2 || strings.Count(stderr, "\n") != 1 {
			t.Errorf("sync %v: exit %d\n%s", args, code, stderr)
		}
	}
	code, _, stderr := ferryIn(t, home, "sync", "--fsync=always", "--limit", "10M", src, dst)
	if code != 0 {
		t.Fatalf("sync with good flags: exit %d\n%s", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(dst, "a.txt")); err != nil || string(b) != "a" {
		t.Fatalf("not synced: %q %v", b, err)
	}
	cfg := filepath.Join(home, ".config", "ferry", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("fsync = \"sometimes\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := ferryIn(t, home, "sync", src, dst); code == 0 || !strings.Contains(stderr, "config.toml:1") {
		t.Fatalf("a bad settings file: exit %d\n%s", code, stderr)
	}
}
