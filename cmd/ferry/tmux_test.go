package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tmuxSession drives a program in a detached tmux server of its own.
type tmuxSession struct {
	t      *testing.T
	socket string
	name   string
	status string // file the wrapped command writes its exit status to
}

// startTmux runs argv in a new tmux session of cols x rows with env added,
// on a private tmux socket. The session is killed in t.Cleanup.
func startTmux(t *testing.T, cols, rows int, env []string, argv ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed; .ci/run should have installed it")
		}
		t.Skip("tmux is not installed")
	}
	dir := t.TempDir()
	s := &tmuxSession{t: t, socket: filepath.Join(dir, "tmux.sock"), name: "ferry", status: filepath.Join(dir, "status")}
	var cmd strings.Builder
	for _, e := range env {
		cmd.WriteString("export " + shq(e) + "; ")
	}
	for _, a := range argv {
		cmd.WriteString(shq(a) + " ")
	}
	cmd.WriteString("2>" + shq(filepath.Join(dir, "stderr")) + "; echo $? > " + shq(s.status) + "; sleep 60")
	s.tmux("new-session", "-d", "-s", s.name, "-x", strconv.Itoa(cols), "-y", strconv.Itoa(rows), "sh", "-c", cmd.String())
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// screen returns the visible pane text.
func (s *tmuxSession) screen() string { return s.tmux("capture-pane", "-p", "-t", s.name) }

// keys sends tmux key names (e.g. "q", "Enter", "Tab").
func (s *tmuxSession) keys(keys ...string) {
	s.tmux(append([]string{"send-keys", "-t", s.name}, keys...)...)
}

// waitFor polls the screen until it contains want, failing after 20 s.
func (s *tmuxSession) waitFor(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var scr string
	for time.Now().Before(deadline) {
		scr = s.screen()
		if strings.Contains(scr, want) {
			return scr
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("screen never showed %q; last screen:\n%s", want, scr)
	return ""
}

// exitStatus waits for the program to end and returns its exit status.
func (s *tmuxSession) exitStatus() string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(s.status); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b))
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("program did not exit; last screen:\n%s", s.screen())
	return ""
}

// stderr returns what the program wrote to standard error.
func (s *tmuxSession) stderr() string {
	b, _ := os.ReadFile(filepath.Join(filepath.Dir(s.status), "stderr"))
	return string(b)
}

func shq(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
