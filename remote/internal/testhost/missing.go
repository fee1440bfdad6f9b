package testhost

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// FindBinary returns the first of paths that exists, else name looked up
// on PATH and made absolute; ok is false if there is neither.
func FindBinary(name string, paths ...string) (path string, ok bool) {
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	found, err := exec.LookPath(name)
	if err == nil {
		found, err = filepath.Abs(found)
	}
	return found, err == nil
}

// SkipOrFail skips t with msg because something a server needs is missing,
// or fails t if the environment variable env is "1"; either way the
// message says how env changes that.
func SkipOrFail(t testing.TB, env, msg string) {
	t.Helper()
	if os.Getenv(env) == "1" {
		t.Fatal(msg + "; " + env + "=1 requires it")
	}
	t.Skip(msg + "; set " + env + "=1 to fail instead of skipping")
}
