package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/local"
)

// TestCopyDestinationMustBeADirectory checks the "to this directory"
// field as ferry cp does: a destination ending in / and the destination
// of several sources must be existing directories, and a missing parent
// is named by the destination, never by the temporary file.
func TestCopyDestinationMustBeADirectory(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"f5", "f6"} {
		t.Run(k, func(t *testing.T) {
			left := makeTree(t, file{name: "a.txt", content: "alpha"}, file{name: "b.txt", content: "beta"})
			right := makeTree(t, file{name: "plain", content: "a file"}, file{name: "dir/"})
			m, r, e := engineModel(t, local.New(), local.New(), left, right, 120, 24)
			refused := func(dst string, wants ...string) {
				t.Helper()
				m.status.setInfo("")
				submit(t, r, dst)
				r.waitFor("the refusal of "+dst, func() bool { return m.status.isErr })
				for _, w := range wants {
					if !strings.Contains(m.status.text, w) {
						t.Errorf("%s: status %q does not say %q", dst, m.status.text, w)
					}
				}
				if strings.Contains(m.status.text, "ferry-part") {
					t.Errorf("%s: status names the temporary file: %q", dst, m.status.text)
				}
			}

			// One source, a destination ending in /.
			cursorTo(t, m, "a.txt")
			r.press(k)
			refused("newdir/", "newdir/", "no such directory")
			r.press(k)
			refused("plain/", "plain/", "not a directory")
			if e.Snapshot().Jobs != 0 {
				t.Fatalf("%d jobs submitted for refused destinations", e.Snapshot().Jobs)
			}
			for _, n := range []string{"newdir", "plain/a.txt"} {
				if exists(filepath.Join(right, n)) {
					t.Errorf("%s was made", n)
				}
			}

			// Several sources need a directory.
			selectNames(t, r, "a.txt", "b.txt")
			r.press(k)
			refused("several", "several sources need a destination directory", filepath.Join(right, "several"))
			selectNames(t, r, "a.txt", "b.txt")
			r.press(k)
			refused("plain", "several sources need a destination directory", filepath.Join(right, "plain"))

			// A missing parent is named by the destination.
			cursorTo(t, m, "a.txt")
			r.press(k)
			refused("no/such/a.txt", filepath.Join(right, "no", "such"), "no such")
			waitSettled(r)

			// An existing directory with a trailing / works.
			cursorTo(t, m, "a.txt")
			r.press(k)
			m.status.setInfo("")
			submit(t, r, "dir/")
			r.waitFor("the copy into dir/", func() bool { return exists(filepath.Join(right, "dir", "a.txt")) })
			waitSettled(r)
			if got := content(filepath.Join(right, "dir", "a.txt")); got != "alpha" || m.status.isErr {
				t.Errorf("dir/a.txt = %q, status %q", got, m.status.text)
			}
			if _, err := os.Stat(filepath.Join(right, "no")); err == nil {
				t.Error("a missing parent was made")
			}
		})
	}
}
