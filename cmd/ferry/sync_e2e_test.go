package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/remote/sshdtest/delayproxy"
)

// TestE2ESSHDSyncProgressOnTerminal runs the built binary in tmux, with
// standard error on the terminal, syncing a tree to sshd at 40 ms round
// trip: everything it draws is recorded, and must show the planning line
// ("comparing: N entries"), the copy's progress bar, and the summary.
func TestE2ESSHDSyncProgressOnTerminal(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	bin := ferryBinary(t)
	srv := sshdtest.Start(t)
	proxy := delayproxy.Start(t, srv.Addr, 40*time.Millisecond)
	dir := t.TempDir()
	cfg := proxySSHConfig(t, srv, proxy.Addr, dir)
	src := filepath.Join(dir, "src")
	for i := range 60 {
		writeAt(t, src, fmt.Sprintf("d%02d/f%d", i, i), strings.Repeat("x", 100*i), syncTime)
	}

	socket, log, status, start := filepath.Join(dir, "tmux.sock"), filepath.Join(dir, "log"), filepath.Join(dir, "status"), filepath.Join(dir, "go")
	tmux := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("tmux", append([]string{"-S", socket}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
	}
	// The program starts once the recording runs, so none of its output
	// is missed.
	script := fmt.Sprintf("while [ ! -e %s ]; do sleep 0.05; done; %s sync -F %s %s bench:%s; echo $? > %s; sleep 60",
		shq(start), shq(bin), shq(cfg), shq(src), shq(filepath.Join(srv.Dir, "copy")), shq(status))
	tmux("new-session", "-d", "-s", "sync", "-x", "100", "-y", "20", "sh", "-c", script)
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", socket, "kill-server").Run() })
	tmux("pipe-pane", "-t", "sync", "-o", "cat >> "+shq(log))
	if err := os.WriteFile(start, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "ferry sync to exit", func() bool {
		b, err := os.ReadFile(status)
		return err == nil && len(b) > 0
	})
	b, _ := os.ReadFile(status)
	if strings.TrimSpace(string(b)) != "0" {
		out, _ := os.ReadFile(log)
		t.Fatalf("exit %s; terminal:\n%q", b, out)
	}
	// tmux hands the output to the recording on its own time.
	waitUntil(t, "the summary in the recording", func() bool {
		out, _ := os.ReadFile(log)
		return strings.Contains(string(out), "files copied")
	})
	out, _ := os.ReadFile(log)
	for _, want := range []string{"comparing: ", " entries", "\r\x1b[K[", "ferry sync: 60 files copied"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the terminal never showed %q:\n%q", want, out)
		}
	}
	sameTree(t, src, filepath.Join(srv.Dir, "copy"))
}
