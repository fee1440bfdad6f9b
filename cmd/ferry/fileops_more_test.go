package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

func TestSSHDHeadlessChmodChownLnTouchDu(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	d := srv.Dir
	for _, dir := range []string{"t", "t/s"} {
		if err := os.Mkdir(filepath.Join(d, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, n := range map[string]int{"t/a": 100, "t/s/b": 20} {
		if err := os.WriteFile(filepath.Join(d, name), make([]byte, n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mode := func(rel string) os.FileMode {
		fi, err := os.Lstat(filepath.Join(d, rel))
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	ok := func(args ...string) string {
		t.Helper()
		code, out, errs := ferry(t, append([]string{args[0], "-F", cfg}, args[1:]...)...)
		if code != 0 {
			t.Fatalf("%q: code %d, %s", args, code, errs)
		}
		return out
	}

	ok("chmod", "-R", "g-r,o=", "box:t")
	if mode("t") != 0o710 || mode("t/s/b") != 0o600 {
		t.Errorf("chmod -R: t %v, t/s/b %v", mode("t"), mode("t/s/b"))
	}
	ok("chmod", "644", "box:t/a")
	if mode("t/a") != 0o644 {
		t.Errorf("chmod 644: %v", mode("t/a"))
	}
	code, _, errs := ferry(t, "chmod", "-F", cfg, "u+q", "box:t/a")
	if code != 1 || !strings.Contains(errs, `'q' is not a permission`) {
		t.Errorf("bad mode: code %d, %q", code, errs)
	}

	if out := ok("du", "box:t", "box:t/a"); out != "120\tt\n100\tt/a\n" {
		t.Errorf("du: %q", out)
	}

	ok("touch", "box:t/new")
	if fi, err := os.Stat(filepath.Join(d, "t", "new")); err != nil || fi.Size() != 0 {
		t.Fatalf("touch: %v %v", fi, err)
	}

	ok("ln", "-s", "box:a", "t/link")
	if tgt, err := os.Readlink(filepath.Join(d, "t", "link")); err != nil || tgt != "a" {
		t.Errorf("ln -s: %q %v", tgt, err)
	}
	if code, _, errs := ferry(t, "ln", "-F", cfg, "box:a", "t/link2"); code != 1 || !strings.Contains(errs, "ln -s") {
		t.Errorf("ln without -s: %d %q", code, errs)
	}
	if code, _, errs := ferry(t, "ln", "-F", cfg, "-s", "box:a", "t/link"); code != 1 || !strings.Contains(errs, "exists") {
		t.Errorf("ln over a link: %d %q", code, errs)
	}

	if os.Getuid() != 0 {
		return
	}
	ok("chown", "-R", "1234:5678", "box:t")
	fi, _ := os.Lstat(filepath.Join(d, "t", "s", "b"))
	if st := fi.Sys().(*syscall.Stat_t); st.Uid != 1234 || st.Gid != 5678 {
		t.Errorf("chown -R: %d:%d", st.Uid, st.Gid)
	}
	// Names, as the server's long listing shows them: daemon owns a file.
	if err := os.Chown(filepath.Join(d, "t", "a"), 1, 2); err != nil {
		t.Fatal(err)
	}
	ok("chown", "daemon:bin", "box:t/s/b")
	fi, _ = os.Lstat(filepath.Join(d, "t", "s", "b"))
	if st := fi.Sys().(*syscall.Stat_t); st.Uid != 1 || st.Gid != 2 {
		t.Errorf("chown daemon:bin: %d:%d", st.Uid, st.Gid)
	}
	if code, _, errs := ferry(t, "chown", "-F", cfg, "no-such-user", "box:t"); code != 1 || !strings.Contains(errs, "no user named no-such-user") {
		t.Errorf("chown by unknown name: %d %q", code, errs)
	}
}
