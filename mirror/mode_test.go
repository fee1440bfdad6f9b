package mirror

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPlanModeOnly syncs files whose size and time match but whose
// permission bits differ, as rsync -a does: a chmod, shown in the plan,
// without a copy (the destination file keeps its inode), under every
// way of comparing. A file whose time differs too is copied as before.
func TestPlanModeOnly(t *testing.T) {
	t.Parallel()
	for _, o := range []Options{{}, {Checksum: true}, {SizeOnly: true}} {
		src, dst := t.TempDir(), t.TempDir()
		for _, root := range []string{src, dst} {
			put(t, root, "run.sh", "#!/bin/sh\n")
			put(t, root, "sub/secret", "s3cret")
			put(t, root, "same", "same")
		}
		chmod(t, filepath.Join(src, "run.sh"), 0o755)
		chmod(t, filepath.Join(dst, "sub/secret"), 0o666)
		chmod(t, filepath.Join(src, "sub/secret"), 0o600)
		before := inode(t, filepath.Join(dst, "run.sh"))

		p := plan(t, src, dst, o)
		wantActions(t, p, "~ run.sh (mode 0644 -> 0755)", "~ sub/secret (mode 0666 -> 0600)")
		if p.Copies() {
			t.Errorf("%+v: a chmod counts as a copy", o)
		}
		if _, ok := p.Request(); ok {
			t.Errorf("%+v: a chmod goes to the engine", o)
		}
		execute(t, p)
		sameTree(t, src, dst)
		if inode(t, filepath.Join(dst, "run.sh")) != before {
			t.Errorf("%+v: run.sh was copied, not chmodded", o)
		}
		wantActions(t, plan(t, src, dst, o))
	}
}

func chmod(t *testing.T, p string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

func inode(t *testing.T, p string) uint64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fileID(fi)
}
