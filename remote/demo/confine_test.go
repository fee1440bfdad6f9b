package demo

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pkg/sftp"
)

// secretBody is the content of the file outside the served directory.
const secretBody = "outside the demo directory\n"

// jailed is a demo server on base/served, next to base/outside, which
// holds secret.txt, with symbolic links inside served that point out of
// it in every way there is.
type jailed struct {
	s       *Server
	sc      *sftp.Client
	base    string
	outside string
}

// startJailed starts the server and connects a pkg/sftp client to it over
// SSH. The links in served:
//
//	etc-abs    -> /etc                      (absolute, out of the directory)
//	out-abs    -> BASE/outside              (absolute host path of outside)
//	up         -> ../outside                (relative, climbing out)
//	up-secret  -> ../outside/secret.txt     (relative, to a file outside)
//	deep/up2   -> ../../outside             (relative, climbing out from below)
func startJailed(t *testing.T) *jailed {
	t.Helper()
	base := t.TempDir()
	served := filepath.Join(base, "served")
	outside := filepath.Join(base, "outside")
	for _, d := range []string{served, outside, filepath.Join(served, "deep")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte(secretBody), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(served, "inside.txt"), []byte("inside\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"etc-abs":   "/etc",
		"out-abs":   outside,
		"up":        "../outside",
		"up-secret": "../outside/secret.txt",
		"deep/up2":  "../../outside",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(served, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Start(served)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &jailed{s: s, sc: dialSFTP(t, s), base: base, outside: outside}
}

// refused reports whether err is the answer OpenSSH gives under
// ChrootDirectory to a path that is not there: no such file, or
// permission denied.
func refused(err error) bool {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return true
	}
	var se *sftp.StatusError
	return errors.As(err, &se) &&
		(se.FxCode() == sftp.ErrSSHFxNoSuchFile || se.FxCode() == sftp.ErrSSHFxPermissionDenied)
}

// snapshot describes every file below dir: name, mode, size, time and
// content, so that a test can see that nothing there changed.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		b.WriteString(p + " " + fi.Mode().String() + " " + fi.ModTime().String())
		if fi.Mode().IsRegular() {
			body, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			b.WriteString(" " + string(body))
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestConfineRootListsDir(t *testing.T) {
	j := startJailed(t)
	for _, p := range []string{"/", ".", "..", "/..", "/../..", "deep/..", ""} {
		fis, err := j.sc.ReadDir(p)
		if err != nil {
			t.Fatalf("ReadDir(%q): %v", p, err)
		}
		var names []string
		for _, fi := range fis {
			names = append(names, fi.Name())
		}
		sort.Strings(names)
		want := "deep etc-abs inside.txt out-abs up up-secret"
		if got := strings.Join(names, " "); got != want {
			t.Fatalf("ReadDir(%q) = %q, want the served directory's %q", p, got, want)
		}
	}
	for _, p := range []string{".", "..", "/../..", "/../../etc"} {
		want := "/"
		if strings.HasSuffix(p, "etc") {
			want = "/etc"
		}
		if got, err := j.sc.RealPath(p); err != nil || got != want {
			t.Errorf("RealPath(%q) = %q, %v; want %q", p, got, err, want)
		}
	}
}

// escapes are paths that would lead out of the served directory on a
// server that did not confine its clients. Each is refused for every
// operation; ops names those it is tried with ("r" read-only ones, "w"
// the ones that change something), so that nothing can change /etc even
// if the server failed.
func escapes(j *jailed) []struct{ path, ops string } {
	outAbs := filepath.ToSlash(j.outside)
	return []struct{ path, ops string }{
		{"/../../etc/passwd", "r"},
		{"../../../../../../../../etc/passwd", "r"},
		{"etc-abs/passwd", "r"},
		{"/../../../../../../../.." + outAbs + "/secret.txt", "rw"},
		{"../outside/secret.txt", "rw"},
		{"out-abs/secret.txt", "rw"},
		{"up/secret.txt", "rw"},
		{"deep/up2/secret.txt", "rw"},
		{"deep/../../outside/secret.txt", "rw"},
	}
}

func TestConfineRefusesEscapes(t *testing.T) {
	j := startJailed(t)
	before := snapshot(t, j.base)
	check := func(what, p string, err error) {
		t.Helper()
		if !refused(err) {
			t.Errorf("%s %q: %v; want no such file or permission denied", what, p, err)
		}
	}
	for _, e := range escapes(j) {
		p := e.path
		_, err := j.sc.Stat(p)
		check("Stat", p, err)
		_, err = j.sc.Lstat(p)
		check("Lstat", p, err)
		if f, err := j.sc.Open(p); err == nil {
			b, _ := io.ReadAll(f)
			f.Close()
			t.Errorf("Open %q: read %q", p, b)
		} else {
			check("Open", p, err)
		}
		_, err = j.sc.ReadDir(p + "/..")
		check("ReadDir", p+"/..", err)
		_, err = j.sc.ReadLink(p)
		check("ReadLink", p, err)
		if !strings.Contains(e.ops, "w") {
			continue
		}
		for _, flag := range []int{os.O_WRONLY, os.O_WRONLY | os.O_TRUNC, os.O_WRONLY | os.O_CREATE, os.O_RDWR | os.O_CREATE | os.O_EXCL} {
			if f, err := j.sc.OpenFile(p, flag); err == nil {
				f.Write([]byte("escaped"))
				f.Close()
				t.Errorf("OpenFile(%q, %#x) succeeded", p, flag)
			} else {
				check("OpenFile", p, err)
			}
		}
		check("Create beside", p, createErr(j.sc, p+"-new"))
		check("Remove", p, j.sc.Remove(p))
		check("Rename from", p, j.sc.Rename(p, "/taken.txt"))
		check("PosixRename from", p, j.sc.PosixRename(p, "/taken.txt"))
		check("Mkdir", p+"-dir", j.sc.Mkdir(p+"-dir"))
		check("RemoveDirectory", p, j.sc.RemoveDirectory(p))
		check("Chmod", p, j.sc.Chmod(p, 0o600))
		check("Chtimes", p, j.sc.Chtimes(p, time.Unix(1, 0), time.Unix(1, 0)))
		check("Truncate", p, j.sc.Truncate(p, 0))
		check("Link from", p, j.sc.Link(p, "/linked.txt"))
		check("Symlink at", p+"-link", j.sc.Symlink("/inside.txt", p+"-link"))
	}
	// Rename and link into the outside from inside.
	for _, dst := range []string{"../outside/moved.txt", "up/moved.txt", "out-abs/moved.txt"} {
		check("Rename to", dst, j.sc.Rename("/inside.txt", dst))
		check("PosixRename to", dst, j.sc.PosixRename("/inside.txt", dst))
		check("Link to", dst, j.sc.Link("/inside.txt", dst))
	}
	if after := snapshot(t, j.base); after != before {
		t.Fatalf("the tree changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if b, err := os.ReadFile(filepath.Join(j.outside, "secret.txt")); err != nil || string(b) != secretBody {
		t.Fatalf("secret.txt outside: %q, %v", b, err)
	}
}

// createErr creates p with O_EXCL, as ferry does, and returns the error.
func createErr(sc *sftp.Client, p string) error {
	f, err := sc.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err == nil {
		f.Close()
	}
	return err
}

// TestConfineDotDotStaysAtTop checks that ".." at the top is the top, as
// in a chroot: "../x" written from "/" lands in the served directory, not
// beside it.
func TestConfineDotDotStaysAtTop(t *testing.T) {
	j := startJailed(t)
	if err := createErr(j.sc, "../new.txt"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(j.s.Dir, "new.txt")); err != nil {
		t.Fatalf("../new.txt did not land in the served directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(j.base, "new.txt")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("../new.txt landed beside the served directory (%v)", err)
	}
	if err := j.sc.Mkdir("/../../made"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(j.s.Dir, "made")); err != nil || !fi.IsDir() {
		t.Fatalf("/../../made: %v, %v", fi, err)
	}
}

// TestConfineLinksOut follows each link that points out of the served
// directory as its last component: what it names is looked up inside, as
// in a chroot, and is not there. The links themselves are inside: lstat
// describes them and readlink gives their targets as stored.
func TestConfineLinksOut(t *testing.T) {
	j := startJailed(t)
	before := snapshot(t, j.base)
	targets := map[string]string{
		"etc-abs":   "/etc",
		"out-abs":   j.outside,
		"up":        "../outside",
		"up-secret": "../outside/secret.txt",
		"deep/up2":  "../../outside",
	}
	for p, target := range targets {
		if _, err := j.sc.Stat(p); !refused(err) {
			t.Errorf("Stat %q: %v", p, err)
		}
		if _, err := j.sc.ReadDir(p); !refused(err) {
			t.Errorf("ReadDir %q: %v", p, err)
		}
		if f, err := j.sc.Open(p); err == nil {
			f.Close()
			t.Errorf("Open %q succeeded", p)
		} else if !refused(err) {
			t.Errorf("Open %q: %v", p, err)
		}
		if f, err := j.sc.OpenFile(p, os.O_WRONLY|os.O_TRUNC); err == nil {
			f.Close()
			t.Errorf("OpenFile(%q, O_WRONLY|O_TRUNC) succeeded", p)
		} else if !refused(err) {
			t.Errorf("OpenFile %q: %v", p, err)
		}
		for what, err := range map[string]error{
			"Chmod":    j.sc.Chmod(p, 0o600),
			"Chtimes":  j.sc.Chtimes(p, time.Unix(1, 0), time.Unix(1, 0)),
			"Truncate": j.sc.Truncate(p, 0),
			"Mkdir":    j.sc.Mkdir(p + "/sub"),
			"Create":   createErr(j.sc, p+"/new.txt"),
		} {
			if !refused(err) {
				t.Errorf("%s %q: %v", what, p, err)
			}
		}
		if fi, err := j.sc.Lstat(p); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("Lstat %q: %v, %v; want the link itself", p, fi, err)
		}
		if got, err := j.sc.ReadLink(p); err != nil || got != target {
			t.Errorf("ReadLink %q = %q, %v; want %q as stored", p, got, err, target)
		}
	}
	// O_EXCL never follows a link, dangling or not.
	if err := createErr(j.sc, "up-secret"); err == nil || refused(err) {
		t.Errorf("O_EXCL create over the link up-secret: %v; want a failure", err)
	}
	if after := snapshot(t, j.base); after != before {
		t.Fatalf("the tree changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}
