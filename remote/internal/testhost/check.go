package testhost

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pkg/sftp"
)

// The checks in this file are for the harnesses' own tests.

// CheckServesDir checks over sc that SFTP sessions start in dir: it writes
// hello.txt there on the local disk; then RealPath(".") must be dir, and
// listing listed (dir as the client names it, "." or dir itself) must show
// just that file, at its size. It returns the file's contents.
func CheckServesDir(t testing.TB, sc *sftp.Client, dir, listed string) string {
	t.Helper()
	want := "hello over sftp\n"
	if err := os.WriteFile(filepath.Join(dir, "hello.txt"), []byte(want), 0o644); err != nil {
		t.Fatal(err)
	}
	wd, err := sc.RealPath(".")
	if err != nil {
		t.Fatal(err)
	}
	if wd != dir {
		t.Errorf("RealPath(\".\") = %q, want Dir %q", wd, dir)
	}
	infos, err := sc.ReadDir(listed)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fi := range infos {
		names = append(names, fi.Name())
	}
	if len(infos) != 1 || infos[0].Name() != "hello.txt" || infos[0].Size() != int64(len(want)) {
		t.Fatalf("ReadDir(%q) = %v, want just hello.txt of %d bytes", listed, names, len(want))
	}
	return want
}

// CheckSkipOrFail is for the harnesses' own tests. It runs find, which
// looks for something that is not there and must end in SkipOrFail, with
// env set to "", "0" and "1": find must skip in the first two cases and
// fail in the last, and say every one of want. It reports what is wrong
// on t, which must not run in parallel (it sets env).
func CheckSkipOrFail(t *testing.T, env string, find func(testing.TB) string, want ...string) {
	t.Helper()
	for _, tc := range []struct {
		env               string
		wantSkip, wantErr bool
	}{
		{env: "", wantSkip: true},
		{env: "0", wantSkip: true},
		{env: "1", wantErr: true},
	} {
		t.Setenv(env, tc.env)
		r := &recordingTB{TB: t}
		done := make(chan string)
		go func() {
			defer close(done)
			done <- find(r)
		}()
		if path, ok := <-done; ok {
			t.Errorf("%s=%q: returned %q for something missing", env, tc.env, path)
		}
		if (r.skipped != "") != tc.wantSkip || (r.failed != "") != tc.wantErr {
			t.Errorf("%s=%q: skipped %q, failed %q; want skip %v, fail %v",
				env, tc.env, r.skipped, r.failed, tc.wantSkip, tc.wantErr)
		}
		msg := r.skipped + r.failed
		for _, w := range want {
			if !strings.Contains(msg, w) {
				t.Errorf("message %q should name %s", msg, w)
			}
		}
	}
}

// recordingTB records Skip and Fatal, which end the goroutine as the real
// ones do.
type recordingTB struct {
	testing.TB
	skipped, failed string
}

// Helper does nothing.
func (r *recordingTB) Helper() {}

// Skip records its message and ends the goroutine.
func (r *recordingTB) Skip(args ...any) {
	r.skipped = fmt.Sprint(args...)
	runtime.Goexit()
}

// Fatal records its message and ends the goroutine.
func (r *recordingTB) Fatal(args ...any) {
	r.failed = fmt.Sprint(args...)
	runtime.Goexit()
}
