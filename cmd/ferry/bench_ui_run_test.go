package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// uiEnv is the environment ferry runs in for TestBenchUI, headless or in
// tmux: no agent, and a HOME and XDG directories of the benchmark's own.
func (e *toolEnv) uiEnv() []string {
	return []string{"HOME=" + e.home, "XDG_CONFIG_HOME=" + filepath.Join(e.home, "config"), "XDG_STATE_HOME=" + filepath.Join(e.home, "state")}
}

// newDst makes a fresh destination directory on the side c copies to.
func (e *toolEnv) newDst(t *testing.T, c toolCase) string {
	t.Helper()
	side := e.s.Dir
	if !c.upload {
		side = e.local
	}
	dst, err := os.MkdirTemp(side, "dst-")
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// openUI starts ferry in tmux with the pane holding src focused and the
// other showing dst, waits until both are listed, and opens the copy
// dialog with F5. It returns the session and ferry's process id.
func (e *toolEnv) openUI(t *testing.T, c toolCase, src, dst string) (*tmuxSession, int) {
	t.Helper()
	localDir, remoteDir := filepath.Dir(src), dst
	if !c.upload {
		localDir, remoteDir = dst, filepath.Dir(src)
	}
	s := startTmux(t, 120, 30, append(e.uiEnv(), "TERM=xterm-256color"),
		"sh", "-c", "cd "+shq(localDir)+" && exec "+shq(e.ferry)+" -F "+shq(e.cfg)+" "+shq("box:"+remoteDir))
	s.waitFor(filepath.Base(src))
	s.waitFor("empty directory")
	pid := descendant(t, paneInt(s, "#{pane_pid}"), e.ferry)
	if !c.upload {
		s.keys("Tab")
	}
	s.keys("F5")
	s.waitFor("Copy " + filepath.Base(src))
	return s, pid
}

// uiCopy copies src through the UI into a fresh destination and measures
// it from the Enter on the copy dialog; live, if not nil, makes the
// function called at every poll of the disk. The destination is removed
// afterwards.
func (e *toolEnv) uiCopy(t *testing.T, c toolCase, src string, live func(*tmuxSession) func()) (uiRun, bool) {
	t.Helper()
	dst := e.newDst(t, c)
	defer os.RemoveAll(dst)
	s, pid := e.openUI(t, c, src, dst)
	tmuxPID := paneInt(s, "#{pid}")
	cpu0, tmux0 := procCPU(pid), procCPU(tmuxPID)
	var poll func()
	if live != nil {
		poll = live(s)
	}
	stopPerf := perfRecord(t, func() int { return pid }, "ui", c)
	start := time.Now()
	s.keys("Enter")
	wall, err := waitArrived(c, src, dst, start, nil, poll)
	stopPerf()
	run := uiRun{wall: wall, cpu: procCPU(pid) - cpu0, tmux: procCPU(tmuxPID) - tmux0, rss: peakRSS(pid)}
	if err != nil {
		t.Errorf("%s: UI: %v; screen:\n%s", c.name, err, s.screen())
		s.tmux("kill-server")
		return run, false
	}
	// The UI learns that the copy is whole a reply after the disk does;
	// q before that would ask whether to cancel it.
	for !strings.Contains(s.screen(), "· idle") {
		if time.Since(start) > wall+time.Minute {
			t.Errorf("%s: the UI never showed the copy finished; screen:\n%s", c.name, s.screen())
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	run.exit = time.Since(start)
	s.keys("q")
	if st := s.exitStatus(); st != "0" {
		t.Errorf("%s: UI exited with %s: %s", c.name, st, s.stderr())
	}
	s.tmux("kill-server")
	return run, true
}

// headlessCopy runs `ferry -v cp` of src into a fresh destination, timed
// from its start to the disk condition and to its exit; the time its
// debug output says "authenticated" is its SSH handshake.
func (e *toolEnv) headlessCopy(t *testing.T, c toolCase, src string) (uiRun, bool) {
	t.Helper()
	dst := e.newDst(t, c)
	defer os.RemoveAll(dst)
	args := []string{"cp", "-v", "-F", e.cfg}
	if c.files > 1 {
		args = append(args, "-r")
	}
	if c.upload {
		args = append(args, src, "box:"+dst+"/")
	} else {
		args = append(args, "box:"+src, dst+"/")
	}
	cmd := exec.Command(e.ferry, args...)
	cmd.Env = append(cleanEnv(), e.uiEnv()...)
	cmd, rssFile := withTime(t, cmd)
	start := time.Now()
	out := &stampWriter{start: start, mark: "authenticated to "}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	var werr error
	go func() { werr = cmd.Wait(); close(exited) }()
	stopPerf := perfRecord(t, func() int { return descendant(t, cmd.Process.Pid, e.ferry) }, "headless", c)
	wall, err := waitArrived(c, src, dst, start, exited, nil)
	if err != nil && !errors.Is(err, errExited) {
		_ = cmd.Process.Kill()
	}
	<-exited
	stopPerf()
	run := uiRun{wall: wall, exit: time.Since(start), handshake: out.at}
	if err != nil || werr != nil {
		t.Errorf("%s: %s: %v, %v\n%s", c.name, strings.Join(cmd.Args, " "), err, werr, out.buf.String())
		return run, false
	}
	if out.at == 0 {
		t.Errorf("%s: ferry -v never said %q:\n%s", c.name, out.mark, out.buf.String())
	}
	run.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	run.rss = peakOf(cmd, rssFile)
	return run, true
}

// connectRun times `ferry ls box:/`: what the headless copy pays to
// connect.
func (e *toolEnv) connectRun(t *testing.T) (uiRun, bool) {
	t.Helper()
	cmd := exec.Command(e.ferry, "ls", "-F", e.cfg, "box:/")
	cmd.Env = append(cleanEnv(), e.uiEnv()...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		t.Errorf("ferry ls: %v\n%s", err, out)
		return uiRun{}, false
	}
	return uiRun{wall: wall, exit: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}, true
}

// stampWriter keeps what a process writes and notes when mark first
// appears in it.
type stampWriter struct {
	buf   bytes.Buffer // not embedded: its ReadFrom would bypass Write
	start time.Time
	mark  string
	at    time.Duration // since start; 0 until mark appears
}

// Write implements io.Writer.
func (w *stampWriter) Write(p []byte) (int, error) {
	n, err := w.buf.Write(p)
	if w.at == 0 && bytes.Contains(w.buf.Bytes(), []byte(w.mark)) {
		w.at = time.Since(w.start)
	}
	return n, err
}

// errExited is waitArrived's error when the process it watched ended
// before the copy was whole.
var errExited = errors.New("ferry exited before the copy was whole")

// waitArrived polls the disk until c's copy of src is wholly in dst and
// returns the time since start. It gives up after ten minutes, or when
// exited (if not nil) is closed before the copy is whole; live (if not
// nil) is called at every poll.
func waitArrived(c toolCase, src, dst string, start time.Time, exited <-chan struct{}, live func()) (time.Duration, error) {
	every := 2 * time.Millisecond
	if c.files > 1 {
		every = 10 * time.Millisecond
	}
	for time.Since(start) < 10*time.Minute {
		if arrived(c, src, dst) {
			return time.Since(start), nil
		}
		if live != nil {
			live()
		}
		select {
		case <-exited:
			if arrived(c, src, dst) {
				return time.Since(start), nil
			}
			return 0, errExited
		case <-time.After(every):
		}
	}
	files, n, err := countTree(dst)
	return 0, fmt.Errorf("not whole after ten minutes: %d files, %d bytes (%v)", files, n, err)
}

// arrived reports whether every byte of src is in dst under its real
// names with no temporary file beside them. For a tree it lists the
// directories first and checks sizes only once every name is there.
func arrived(c toolCase, src, dst string) bool {
	root := filepath.Join(dst, filepath.Base(src))
	if c.files == 1 {
		fi, err := os.Stat(root)
		if err != nil || fi.Size() != int64(c.size) {
			return false
		}
		es, err := os.ReadDir(dst)
		if err != nil {
			return false
		}
		for _, e := range es {
			if strings.Contains(e.Name(), ".ferry-") {
				return false
			}
		}
		return true
	}
	dirs, err := os.ReadDir(root)
	if err != nil {
		return false
	}
	n := 0
	for _, d := range dirs {
		es, err := os.ReadDir(filepath.Join(root, d.Name()))
		if err != nil {
			return false
		}
		for _, e := range es {
			if strings.Contains(e.Name(), ".ferry-") {
				return false
			}
			n++
		}
	}
	if n != c.files {
		return false
	}
	files, size, err := countTree(root)
	return err == nil && files == c.files && size == int64(c.files)*int64(c.size)
}

// paneInt asks tmux for a number about s's pane, such as #{pane_pid}.
func paneInt(s *tmuxSession, format string) int {
	s.t.Helper()
	v := strings.TrimSpace(s.tmux("display-message", "-p", "-t", s.name, format))
	n, err := strconv.Atoi(v)
	if err != nil {
		s.t.Fatalf("tmux %s: %q", format, v)
	}
	return n
}

// descendant returns the process below pid that runs the binary bin,
// waiting up to 20 s for it to appear.
func descendant(t *testing.T, pid int, bin string) int {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		queue := []int{pid}
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", p)); err == nil && exe == bin {
				return p
			}
			b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", p, p))
			for _, f := range strings.Fields(string(b)) {
				if k, err := strconv.Atoi(f); err == nil {
					queue = append(queue, k)
				}
			}
		}
	}
	t.Fatalf("no process running %s below %d", bin, pid)
	return 0
}

// procCPU returns the user and system CPU time pid has used so far
// (utime and stime in /proc/PID/stat), or 0.
func procCPU(pid int) time.Duration { return statTicks(pid, 11, 12) }

// peakRSS returns pid's peak resident set (VmHWM) in bytes, or 0.
func peakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpuCount is how many CPUs this machine has.
func cpuCount() int { return runtime.NumCPU() }
