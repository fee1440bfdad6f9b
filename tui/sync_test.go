package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/local"
)

func readOr(p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

// TestSyncDialogPlansThenRuns: Y asks for options, shows the plan (counts
// and every deletion) and, confirmed, makes the other pane's directory
// like the focused one's: new and changed files copied, the extra file
// deleted after the copies, the unchanged one left alone.
func TestSyncDialogPlansThenRuns(t *testing.T) {
	t.Parallel()
	left := makeTree(t,
		file{name: "a.txt", content: "new contents", mtime: mtimeRecent.Add(time.Hour)},
		file{name: "same.txt", content: "same", mtime: mtimeRecent},
		file{name: "sub/b.txt", content: "b", mtime: mtimeRecent},
	)
	right := makeTree(t,
		file{name: "a.txt", content: "old", mtime: mtimeRecent},
		file{name: "same.txt", content: "same", mtime: mtimeRecent},
		file{name: "extra.txt", content: "x", mtime: mtimeRecent},
	)
	sameBefore, _ := os.Stat(filepath.Join(right, "same.txt"))
	m, r, _ := engineModel(t, local.New(), local.New(), left, right, 120, 30)
	r.press("Y")
	r.waitFor("the options", func() bool { return strings.Contains(screen(m), "delete (remove what the source lacks)") })
	r.typeText("delete")
	r.press("enter")
	r.waitFor("the plan", func() bool { return strings.Contains(screen(m), " new (") })
	out := screen(m)
	for _, want := range []string{"Sync local:", "2 new (1 byte)", "1 changed (12 bytes)", "1 to delete", "- extra.txt", "deleted after every copy succeeded"} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan does not say %q:\n%s", want, out)
		}
	}
	r.press("y")
	r.waitFor("the sync", func() bool {
		return readOr(filepath.Join(right, "a.txt")) == "new contents" && readOr(filepath.Join(right, "sub", "b.txt")) == "b" &&
			strings.HasPrefix(readOr(filepath.Join(right, "extra.txt")), "<") && strings.Contains(screen(m), "sync to ")
	})
	if !strings.Contains(screen(m), "finished: 1 entry deleted") {
		t.Errorf("status line:\n%s", screen(m))
	}
	if fi, _ := os.Stat(filepath.Join(right, "same.txt")); !os.SameFile(fi, sameBefore) {
		t.Error("the unchanged file was copied again")
	}
}

// TestSyncDialogDryRunAndBadOptions: a dry run shows the plan and changes
// nothing; an unknown option is refused in the field.
func TestSyncDialogDryRunAndBadOptions(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "a.txt", content: "a", mtime: mtimeRecent})
	right := makeTree(t, file{name: "extra.txt", content: "x", mtime: mtimeRecent})
	m, r, _ := engineModel(t, local.New(), local.New(), left, right, 120, 30)
	r.press("Y")
	r.typeText("delete bogus")
	r.press("enter")
	if out := screen(m); !strings.Contains(out, `unknown option "bogus"`) {
		t.Fatalf("no error for a bad option:\n%s", out)
	}
	for range len("delete bogus") {
		r.press("backspace")
	}
	r.typeText("dry-run delete")
	r.press("enter")
	r.waitFor("the plan", func() bool { return strings.Contains(screen(m), "dry run: nothing is changed") })
	if out := screen(m); !strings.Contains(out, "- extra.txt") || !strings.Contains(out, "1 new") {
		t.Errorf("dry run plan:\n%s", out)
	}
	r.press("y")
	if readOr(filepath.Join(right, "extra.txt")) != "x" || !strings.HasPrefix(readOr(filepath.Join(right, "a.txt")), "<") {
		t.Error("a dry run changed the destination")
	}
}
