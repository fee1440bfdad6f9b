package demo

import (
	"os"
	"path/filepath"
	"time"
)

// BigFileSize is the size of the large sample file Seed writes.
const BigFileSize = 10 << 20

// Seed fills dir with a small sample tree: nested directories, text files,
// a 10 MiB file, and names with spaces and non-ASCII letters.
func Seed(dir string) error {
	files := map[string]string{
		"README.txt":                        "Welcome to the ferry demo.\nCopy files with F5, browse with the arrows, quit with q.\n",
		"notes/todo.md":                     "# todo\n- [ ] copy something with F5\n- [x] start ferry demo\n",
		"notes/2026/meeting minutes.txt":    "Decided: ship it.\n",
		"projects/ferry/main.go":            "package main\n\nfunc main() { println(\"hello from the demo\") }\n",
		"projects/ferry/go.mod":             "module example.com/ferry-demo\n\ngo 1.25\n",
		"photos/holiday 2025/README.txt":    "(no photos here, just a directory with a space in its name)\n",
		"Ünïcødé/日本語のファイル.txt":              "こんにちは\n",
		"Ünïcødé/Ελληνικά.txt":              "Γειά σου\n",
		"my documents/report final (2).txt": "names with spaces and parentheses\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "empty"), 0o755); err != nil {
		return err
	}
	if err := writeBig(filepath.Join(dir, "big", "10MiB.bin")); err != nil {
		return err
	}
	// Give the tree a fixed, plausible time so listings look alike everywhere.
	t := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	return filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, t, t)
	})
}

// writeBig writes BigFileSize bytes of a deterministic pattern that does not
// compress to nothing.
func writeBig(p string) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	buf := make([]byte, BigFileSize)
	x := uint32(2463534242)
	for i := range buf {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		buf[i] = byte(x)
	}
	return os.WriteFile(p, buf, 0o644)
}
