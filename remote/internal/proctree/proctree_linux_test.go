package proctree

import (
	"os/exec"
	"slices"
	"syscall"
	"testing"
	"time"
)

func TestStatFieldsSkipsTheCommandName(t *testing.T) {
	stat := "4242 (a) b) (c) S 17 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1 2 3\n"
	fields, ok := statFields([]byte(stat))
	if !ok || fields[0] != "S" || fields[1] != "17" || fields[19] != "987654" {
		t.Fatalf("statFields = %q, %v; want state S, parent 17, start 987654", fields, ok)
	}
	if _, ok := statFields([]byte("1 (x) S 0")); ok {
		t.Error("statFields accepted a line with too few fields")
	}
}

// startShell starts sh running script and waits until n processes are
// below it.
func startShell(t *testing.T, script string, n int) (*Daemon, []Proc) {
	t.Helper()
	d, err := Start(exec.Command("/bin/sh", "-c", script))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !d.Exited() {
			d.Kill()
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		kids := Descendants(d.PID)
		if len(kids) == n {
			return d, kids
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d processes below sh, want %d: %+v", len(kids), n, kids)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestKillTreeKillsEveryLevel(t *testing.T) {
	t.Parallel()
	// sh, a child sh and a sleep below that one.
	d, kids := startShell(t, "/bin/sh -c 'sleep 60 & wait' & wait", 2)
	if kids[0].Parent != d.PID || kids[1].Parent != kids[0].PID {
		t.Fatalf("Descendants = %+v, want a child of %d and its child, parents first", kids, d.PID)
	}
	for _, k := range kids {
		Signal(k, syscall.SIGSTOP) // KillTree must cope with stopped parents
	}
	if !KillTree(d.PID, 5*time.Second) {
		t.Fatal("KillTree reported false on Linux")
	}
	for _, k := range kids {
		if Alive(k) || present(k) {
			t.Errorf("process %d still there after KillTree", k.PID)
		}
	}
}

func TestDaemonStopEndsTheTreeAndTheDaemon(t *testing.T) {
	t.Parallel()
	d, kids := startShell(t, "sleep 60 & wait", 1)
	Signal(kids[0], syscall.SIGSTOP)
	if killed := d.Stop(syscall.SIGCONT, 5*time.Second); killed {
		t.Error("Stop needed SIGKILL for sh, which ends on SIGTERM")
	}
	if !d.Exited() {
		t.Fatal("the daemon runs after Stop")
	}
	if WaitGone(kids, 0) != nil {
		t.Errorf("process %d still runs after Stop", kids[0].PID)
	}
	if d.Stop(syscall.SIGCONT, 5*time.Second) {
		t.Error("a second Stop reported a kill")
	}
}

func TestDescendantsFollowsChildrenLikeAScanOfProc(t *testing.T) {
	t.Parallel()
	// Two children of sh, one with a child of its own.
	d, kids := startShell(t, "sleep 60 & /bin/sh -c 'sleep 60 & wait' & wait", 3)
	t.Cleanup(func() { KillTree(d.PID, 5*time.Second) })
	if _, ok := children(d.PID); !ok {
		t.Fatal("this kernel has no children files: Descendants reads all of /proc")
	}
	sameProcs(t, kids, scanDescendants(d.PID))
	seen := map[int]Proc{d.PID: {}}
	var leaf Proc
	for _, k := range kids {
		if _, ok := seen[k.Parent]; !ok {
			t.Fatalf("Descendants = %+v: the parent of %d is not listed before it", kids, k.PID)
		}
		seen[k.PID] = k
		if k.Parent != d.PID {
			leaf = k
		}
	}
	// A child that has ended but that its (stopped) parent has not
	// reaped is still there.
	Signal(seen[leaf.Parent], syscall.SIGSTOP)
	Signal(leaf, syscall.SIGKILL)
	if WaitGone([]Proc{leaf}, 5*time.Second) != nil {
		t.Fatal("the leaf outlived SIGKILL")
	}
	zombies := Descendants(d.PID)
	if !slices.Contains(zombies, leaf) {
		t.Errorf("Descendants = %+v lacks the unreaped %+v", zombies, leaf)
	}
	sameProcs(t, zombies, scanDescendants(d.PID))
	for _, k := range kids {
		Signal(k, syscall.SIGCONT)
	}
	if got := Descendants(1 << 30); got != nil {
		t.Errorf("Descendants of a process that does not exist = %+v", got)
	}
}

// sameProcs fails t unless Descendants and a scan of /proc found the same
// processes.
func sameProcs(t *testing.T, got, scanned []Proc) {
	t.Helper()
	if len(got) != len(scanned) {
		t.Fatalf("Descendants = %+v, a scan of /proc found %+v", got, scanned)
	}
	for _, k := range scanned {
		if !slices.Contains(got, k) {
			t.Errorf("a scan of /proc found %+v, which Descendants (%+v) lacks", k, got)
		}
	}
}
