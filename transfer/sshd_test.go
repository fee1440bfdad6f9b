package transfer_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/transfer"
)

func TestSSHDUploadTree(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	rfs, _ := dialFS(t, s)
	src := filepath.Join(t.TempDir(), "tree")
	makeTree(t, src)
	if _, ok := rfs.HasExtension("posix-rename@openssh.com"); !ok {
		t.Fatal("OpenSSH should advertise posix-rename@openssh.com")
	}
	e, _ := newEngine(t, transfer.Options{})
	dst := path.Join(s.Dir, "up")
	run(t, e, transfer.Request{Src: localFS(), Dst: rfs, Items: []transfer.Item{{Src: src, Dst: dst}}})
	compareTrees(t, src, dst)
	checkTreeJobs(t, e, src, filepath.Join)
	noTemps(t, s.Dir)
}

func TestSSHDDownloadTree(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	rfs, _ := dialFS(t, s)
	src := path.Join(s.Dir, "tree")
	makeTree(t, src)
	out := t.TempDir()
	dst := filepath.Join(out, "down")
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: rfs, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
	compareTrees(t, src, dst)
	checkTreeJobs(t, e, src, path.Join)
	noTemps(t, out)
}

func TestSSHDRemoteToRemoteTree(t *testing.T) {
	t.Parallel()
	a, b := startSSHD(t), startSSHD(t)
	afs, _ := dialFS(t, a)
	bfs, _ := dialFS(t, b)
	src := path.Join(a.Dir, "tree")
	makeTree(t, src)
	dst := path.Join(b.Dir, "copy")
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: afs, Dst: bfs, Items: []transfer.Item{{Src: src, Dst: dst}}})
	compareTrees(t, src, dst)
	checkTreeJobs(t, e, src, path.Join)
	noTemps(t, b.Dir)
}

func TestSSHDConflictPoliciesOnUpload(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	rfs, _ := dialFS(t, s)
	local := t.TempDir()
	for _, c := range []struct {
		policy transfer.Policy
		want   string
		extra  bool
	}{
		{transfer.Overwrite, "new", false},
		{transfer.Skip, "old", false},
		{transfer.Newer, "new", false},
		{transfer.Rename, "old", true},
	} {
		dir := filepath.Join(s.Dir, c.policy.String())
		src := filepath.Join(local, c.policy.String())
		writeFile(t, src, []byte("new"), 0o644, baseTime)
		writeFile(t, filepath.Join(dir, "f"), []byte("old"), 0o644, baseTime.Add(-time.Hour))
		e, _ := newEngine(t, transfer.Options{})
		run(t, e, transfer.Request{Src: localFS(), Dst: rfs, Policy: c.policy, Items: []transfer.Item{{Src: src, Dst: path.Join(dir, "f")}}})
		if b, _ := os.ReadFile(filepath.Join(dir, "f")); string(b) != c.want {
			t.Errorf("%v: f = %q, want %q", c.policy, b, c.want)
		}
		b, err := os.ReadFile(filepath.Join(dir, "f (1)"))
		if c.extra != (err == nil) || (c.extra && string(b) != "new") {
			t.Errorf("%v: f (1) = %q, %v", c.policy, b, err)
		}
	}
	noTemps(t, s.Dir)
}

// TestSSHDKilledUploadLeavesTargetIntactAndResumes drops the link in the
// middle of a 12 MiB upload (one stream: dialFS offers no ranges): the old
// target stays, the partial keeps the source's mode and a resume record,
// and a new engine on a new connection resumes it. The engines use the
// small sizes: a resume rewinds 1 MiB.
func TestSSHDKilledUploadLeavesTargetIntactAndResumes(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	rfs, conn := dialFS(t, s)
	old := randBytes(10, 5<<20)
	target := filepath.Join(s.Dir, "target.bin")
	writeFile(t, target, old, 0o644, baseTime)
	data := randBytes(11, 12<<20)
	src := filepath.Join(t.TempDir(), "new.bin")
	writeFile(t, src, data, 0o640, baseTime.Add(time.Hour))

	gate := newGate(localFS(), src, 6<<20)
	e, _ := newEngine(t, transfer.SmallSizes(transfer.Options{}))
	if _, err := e.Submit(transfer.Request{Src: gate, Dst: rfs, Policy: transfer.Overwrite, Items: []transfer.Item{{Src: src, Dst: target}}}); err != nil {
		t.Fatal(err)
	}
	gate.waitReached(t)
	// The writes still in flight (up to 4.5 MiB) reach the server first:
	// a resume rewinds 1 MiB from what was read.
	tmp := filepath.Join(s.Dir, ".target.bin.ferry-part")
	for deadline := time.Now().Add(waitTimeout); stored(tmp) < 6<<20-256<<10; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the server holds %d of the 6 MiB sent", stored(tmp))
		}
	}
	conn.Close() // the link drops mid-upload
	gate.open()
	wait(t, e)
	j := jobFor(t, e, src)
	if j.State != transfer.Failed {
		t.Fatalf("job after the link dropped: %v %v", j.State, j.Err)
	}
	if got, _ := os.ReadFile(target); !bytes.Equal(got, old) {
		t.Fatal("the old target changed")
	}
	fi, err := os.Stat(tmp)
	if err != nil || fi.Size() == 0 {
		t.Fatalf("partial upload: %v, %v", fi, err)
	}
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("partial upload mode %v, want the source's 0640 from the start", fi.Mode().Perm())
	}
	if _, err := os.Stat(tmp + ".meta"); err != nil {
		t.Fatalf("resume record: %v", err)
	}

	// A new connection and a new engine resume it.
	rfs2, _ := dialFS(t, s)
	e2, _ := newEngine(t, transfer.SmallSizes(transfer.Options{}))
	run(t, e2, transfer.Request{Src: localFS(), Dst: rfs2, Policy: transfer.Resume, Items: []transfer.Item{{Src: src, Dst: target}}})
	j = jobFor(t, e2, src)
	if j.State != transfer.Done || j.Resumed < 4<<20 {
		t.Fatalf("resume: %+v", j)
	}
	if got, _ := os.ReadFile(target); !bytes.Equal(got, data) {
		t.Fatal("resumed upload differs from the source")
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 || !fi.ModTime().Equal(baseTime.Add(time.Hour)) {
		t.Errorf("target mode %v time %v", fi.Mode().Perm(), fi.ModTime())
	}
	noTemps(t, s.Dir)
}

func TestSSHDCancelledDownloadRetryResumes(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	rfs, _ := dialFS(t, s)
	data := randBytes(12, 30<<20)
	src := filepath.Join(s.Dir, "big.bin")
	writeFile(t, src, data, 0o644, baseTime)
	out := t.TempDir()
	dst := filepath.Join(out, "big.bin")
	gate := newGate(rfs, src, 20<<20)
	e, _ := newEngine(t, transfer.Options{})
	if _, err := e.Submit(transfer.Request{Src: gate, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}}); err != nil {
		t.Fatal(err)
	}
	gate.waitReached(t)
	j := jobFor(t, e, src)
	if err := e.Cancel(j.ID); err != nil {
		t.Fatal(err)
	}
	gate.open()
	wait(t, e)
	if j, _ = e.Job(j.ID); j.State != transfer.Cancelled {
		t.Fatalf("after cancel: %v %v", j.State, j.Err)
	}
	if err := e.Retry(j.ID); err != nil {
		t.Fatal(err)
	}
	wait(t, e)
	if j, _ = e.Job(j.ID); j.State != transfer.Done || j.Resumed < 8<<20 {
		t.Fatalf("after retry: %+v", j)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, data) {
		t.Fatal("resumed download differs")
	}
	noTemps(t, out)
}

// noPosixRename hides posix-rename@openssh.com, as old or minimal servers
// do, so that Rename cannot replace an existing file.
type noPosixRename struct{ *remote.FS }

func (f noPosixRename) HasExtension(name string) (string, bool) {
	if name == "posix-rename@openssh.com" {
		return "", false
	}
	return f.FS.HasExtension(name)
}

func (f noPosixRename) Rename(_ context.Context, oldname, newname string) error {
	return f.Client().Rename(oldname, newname)
}

func TestSSHDReplaceWithoutPosixRename(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	rfs, _ := dialFS(t, s)
	fsys := noPosixRename{rfs}
	src := filepath.Join(t.TempDir(), "f")
	writeFile(t, src, []byte("new"), 0o644, baseTime)
	target := filepath.Join(s.Dir, "f")
	writeFile(t, target, []byte("old"), 0o644, baseTime)
	e, rec := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: fsys, Policy: transfer.Overwrite, Items: []transfer.Item{{Src: src, Dst: target}}})
	onlyDone(t, e)
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Fatalf("target = %q", b)
	}
	ev := rec.waitFor(t, "a notice", func(ev transfer.Event) bool { return ev.Kind == transfer.Notice })
	if !strings.Contains(ev.Message, "posix-rename") {
		t.Errorf("notice %q", ev.Message)
	}
	noTemps(t, s.Dir)
}

func TestSSHDErrorsNameOperationAndPath(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	rfs, _ := dialFS(t, s)
	src := path.Join(s.Dir, "missing")
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: rfs, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(t.TempDir(), "x")}}})
	j := jobFor(t, e, src)
	if j.State != transfer.Failed || !errors.Is(j.Err, os.ErrNotExist) || !strings.Contains(j.Err.Error(), src) {
		t.Errorf("job %v: %v", j.State, j.Err)
	}
}

// TestSSHDRepairInterruptedReplace: without posix-rename, a replace
// interrupted between its two renames leaves ".NAME.ferry-old"; the next
// copy to that target puts the old file back when the target is missing,
// or removes the leftover when the target exists, and says which. The
// fallback notice comes once per batch, not once per file.
func TestSSHDRepairInterruptedReplace(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	rfs, _ := dialFS(t, s)
	fsys := noPosixRename{rfs}
	srcDir := t.TempDir()
	var items []transfer.Item
	for _, name := range []string{"missing", "complete", "plain1", "plain2"} {
		src := filepath.Join(srcDir, name)
		writeFile(t, src, []byte("new "+name), 0o644, baseTime.Add(time.Hour))
		items = append(items, transfer.Item{Src: src, Dst: path.Join(s.Dir, name)})
	}
	// "missing": the old file was moved aside and the new one never
	// arrived. "complete": the new file arrived, the backup stayed.
	writeFile(t, filepath.Join(s.Dir, ".missing.ferry-old"), []byte("old missing"), 0o644, baseTime)
	writeFile(t, filepath.Join(s.Dir, "complete"), []byte("done complete"), 0o644, baseTime)
	writeFile(t, filepath.Join(s.Dir, ".complete.ferry-old"), []byte("old complete"), 0o644, baseTime)
	writeFile(t, filepath.Join(s.Dir, "plain1"), []byte("old plain1"), 0o644, baseTime)
	writeFile(t, filepath.Join(s.Dir, "plain2"), []byte("old plain2"), 0o644, baseTime)

	e, rec := newEngine(t, transfer.Options{})
	id := run(t, e, transfer.Request{Src: localFS(), Dst: fsys, Policy: transfer.Skip, Items: items[:2]})
	rec.finished(t, id)
	if b, _ := os.ReadFile(filepath.Join(s.Dir, "missing")); string(b) != "old missing" {
		t.Errorf("missing = %q, want the old file put back (and then skipped)", b)
	}
	if b, _ := os.ReadFile(filepath.Join(s.Dir, "complete")); string(b) != "done complete" {
		t.Errorf("complete = %q", b)
	}
	var restored, removed int
	for _, ev := range rec.of(transfer.Notice) {
		restored += strings.Count(ev.Message, "put the old")
		removed += strings.Count(ev.Message, "removed ")
	}
	if restored != 1 || removed != 1 {
		t.Errorf("%d notices of a restore and %d of a removal, want 1 and 1", restored, removed)
	}

	e2, rec2 := newEngine(t, transfer.Options{})
	id = run(t, e2, transfer.Request{Src: localFS(), Dst: fsys, Policy: transfer.Overwrite, Items: items})
	onlyDone(t, e2)
	rec2.finished(t, id)
	fallback := 0
	for _, ev := range rec2.of(transfer.Notice) {
		fallback += strings.Count(ev.Message, "does not support posix-rename")
	}
	if fallback != 1 {
		t.Errorf("%d fallback notices for 4 replaced files, want 1", fallback)
	}
	noTemps(t, s.Dir)
}
