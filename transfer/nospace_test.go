package transfer_test

import (
	"errors"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/transfer"
)

// smallDisk mounts a tmpfs of size bytes for t and returns its directory,
// or skips t where mounting is not allowed.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (needs root): %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// checkFull checks that the job for src failed because the destination
// is full, and that nothing of it is left in dir.
func checkFull(t *testing.T, e *transfer.Engine, src, dir string) {
	t.Helper()
	j := jobFor(t, e, src)
	if j.State != transfer.Failed || !errors.Is(j.Err, transfer.ErrNoSpace) {
		t.Fatalf("job %v: %v", j.State, j.Err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ents {
		t.Errorf("left on the full disk: %s", d.Name())
	}
	if s := e.Snapshot(); s.MovedBytes == 0 {
		t.Errorf("the snapshot says no bytes moved")
	}
}

func TestDiskFullLocalRemovesPartial(t *testing.T) {
	t.Parallel()
	disk := smallDisk(t, "4m")
	src := filepath.Join(t.TempDir(), "big")
	writeFile(t, src, randBytes(21, 12<<20), 0o644, baseTime)
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(disk, "big")}}})
	checkFull(t, e, src, disk)
}

func TestSSHDDiskFullRemoteRemovesPartial(t *testing.T) {
	t.Parallel()
	disk := smallDisk(t, "4m")
	s := sshdtest.Start(t, sshdtest.WithDir(disk))
	rfs, _ := dialFS(t, s)
	src := filepath.Join(t.TempDir(), "big")
	writeFile(t, src, randBytes(22, 40<<20), 0o644, baseTime)
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: rfs, Items: []transfer.Item{{Src: src, Dst: path.Join(s.Dir, "big")}}})
	checkFull(t, e, src, disk)
}
