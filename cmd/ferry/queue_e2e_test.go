package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/journal"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/remote/sshdtest/delayproxy"
	"github.com/ferry-tui/ferry/transfer"
)

// ferryIn runs the built binary with a given HOME (so that runs share
// its journal) and returns its exit code, stdout and stderr.
func ferryIn(t *testing.T, home string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(ferryBinary(t), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "HOME="+home)
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	return exitOf(t, done, &errb), out.String(), errb.String()
}

// killedUpload starts ferry cp -r of a 120-file tree to a real sshd over
// a 10 ms link, with HOME home, and kills it with SIGKILL once ten files
// have arrived whole. It returns the ssh config (alias box), the source,
// the destination directory on the server, the tree's sums, and the files
// that had arrived with their inodes.
func killedUpload(t *testing.T, home string) (cfg, src, dst string, want map[string]string, before map[string]uint64, arrived func() map[string]uint64) {
	t.Helper()
	srv := sshdtest.Start(t)
	proxy := delayproxy.Start(t, srv.Addr, 10*time.Millisecond)
	_, port, _ := strings.Cut(proxy.Addr, ":")
	cfg = filepath.Join(t.TempDir(), "ssh_config")
	conf := fmt.Sprintf("Host box\n  HostName 127.0.0.1\n  Port %s\n  HostKeyAlias %s\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  BatchMode yes\n  IdentityAgent none\n",
		port, "[127.0.0.1]:"+fmt.Sprint(srv.Port), srv.User, srv.ClientKeyPath, srv.WriteKnownHosts(t))
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	src = filepath.Join(t.TempDir(), "tree")
	for d := range 4 {
		for f := range 30 {
			p := filepath.Join(src, fmt.Sprintf("dir %d", d), fmt.Sprintf("file %02d.bin", f))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, bytes.Repeat([]byte{byte(d), byte(f)}, 10_000+f), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want = treeSums(t, src)
	dst = filepath.Join(srv.Dir, "up")

	cmd := exec.Command(ferryBinary(t), "-F", cfg, "cp", "-r", "-j", "1", src, "box:up")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	cmd.Env = append(os.Environ(), "HOME="+home)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	arrived = func() map[string]uint64 {
		got := map[string]uint64{}
		filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.Contains(d.Name(), ".ferry-part") {
				return nil
			}
			rel, _ := filepath.Rel(dst, p)
			srcInfo, err1 := os.Stat(filepath.Join(src, rel))
			fi, err2 := os.Stat(p)
			b1, _ := os.ReadFile(filepath.Join(src, rel))
			b2, _ := os.ReadFile(p)
			if err1 == nil && err2 == nil && bytes.Equal(b1, b2) && fi.ModTime().Equal(srcInfo.ModTime().Truncate(time.Second)) {
				got[rel] = fi.Sys().(*syscall.Stat_t).Ino
			}
			return nil
		})
		return got
	}
	waitUntil(t, "ten files across the tree", func() bool {
		select {
		case err := <-done:
			t.Fatalf("the copy ended (%v) before it could be killed; stderr:\n%s", err, errb.String())
		default:
		}
		return len(arrived()) >= 10
	})
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
	before = arrived()
	if len(before) == len(want) {
		t.Fatal("every file had arrived before the kill")
	}

	return cfg, src, dst, want, before, arrived
}

// TestE2ESSHDQueueResumesAfterSIGKILL kills ferry cp with SIGKILL in the
// middle of a tree upload over a 10 ms link; ferry queue lists the batch,
// ferry queue resume finishes it: the tree arrives whole, no file that
// had arrived before the kill is written again (same inode), no temporary
// file stays, and the queue is empty afterwards.
func TestE2ESSHDQueueResumesAfterSIGKILL(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	_, src, dst, want, before, arrived := killedUpload(t, home)
	code, out, stderr := ferryIn(t, home, "queue")
	if code != 0 || !strings.Contains(out, "copy local:"+src+" to box:") || !strings.Contains(out, "interrupted") {
		t.Fatalf("ferry queue: exit %d\n%s%s", code, out, stderr)
	}
	code, _, stderr = ferryIn(t, home, "queue", "resume")
	if code != 0 || !strings.Contains(stderr, "done before") {
		t.Fatalf("ferry queue resume: exit %d\n%s", code, stderr)
	}
	if got := treeSums(t, dst); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("the tree differs after the resume:\n%v\nwant\n%v", got, want)
	}
	after := arrived()
	for rel, ino := range before {
		if after[rel] != ino {
			t.Errorf("%s was written again by the resume", rel)
		}
	}
	filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".ferry-part") {
			t.Errorf("left behind: %s", p)
		}
		return nil
	})
	if code, out, _ := ferryIn(t, home, "queue"); code != 0 || !strings.Contains(out, "no unfinished transfers") {
		t.Fatalf("the queue is not empty after the resume: %s", out)
	}
}

// TestE2EQueueUnreachableHostStaysQueued resumes a batch whose host
// refuses connections: exit 255, and the batch stays, with the reason,
// until ferry queue clear forgets it.
func TestE2EQueueUnreachableHostStaysQueued(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "ssh_config")
	if err := os.WriteFile(cfg, []byte("Host closed\n  HostName 127.0.0.1\n  Port 1\n  BatchMode yes\n  ConnectTimeout 5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	js, err := journal.Open(filepath.Join(home, ".local", "state", "ferry"))
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	rec := journal.Record{Version: journal.Version, ID: journal.NewID(time.Now(), 1), Created: time.Now(), Command: "cp",
		Dst:    journal.Endpoint{Host: "closed", ConfigFile: cfg},
		Items:  []transfer.Item{{Src: src, Dst: "/srv/x"}},
		Policy: "ask"}
	if err := js.Put(rec); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := ferryIn(t, home, "queue", "resume", rec.ID)
	if code != 255 || !strings.Contains(stderr, "stays in the queue") {
		t.Fatalf("ferry queue resume: exit %d\n%s", code, stderr)
	}
	code, out, _ := ferryIn(t, home, "queue")
	if code != 0 || !strings.Contains(out, rec.ID) || !strings.Contains(out, "could not connect") {
		t.Fatalf("ferry queue: exit %d\n%s", code, out)
	}
	if code, _, stderr := ferryIn(t, home, "queue", "resume", "nonesuch"); code != 2 || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("an unknown id: exit %d\n%s", code, stderr)
	}
	if code, out, _ := ferryIn(t, home, "queue", "clear"); code != 0 || !strings.Contains(out, "forgot 1 unfinished transfer") {
		t.Fatalf("ferry queue clear: exit %d\n%s", code, out)
	}
	if _, out, _ := ferryIn(t, home, "queue"); !strings.Contains(out, "no unfinished transfers") {
		t.Fatalf("after clear: %s", out)
	}
}

// TestE2ESSHDUIOffersUnfinished opens the UI after ferry cp was killed:
// it offers the unfinished transfer, r resumes it on the UI's queue, the
// tree arrives whole without rewriting what had arrived, and the journal
// is empty once it is done.
func TestE2ESSHDUIOffersUnfinished(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	cfg, _, dst, want, before, arrived := killedUpload(t, home)
	s := startTmux(t, 120, 30, []string{"HOME=" + home, "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(t.TempDir())+" && exec "+shq(ferryBinary(t))+" -F "+shq(cfg)+" box")
	s.waitFor("1 unfinished transfer (box,")
	s.keys("r", "Enter")
	s.waitFor("resumed 1 unfinished transfer")
	waitUntil(t, "the whole tree", func() bool { return fmt.Sprint(settledSums(dst)) == fmt.Sprint(want) })
	after := arrived()
	for rel, ino := range before {
		if after[rel] != ino {
			t.Errorf("%s was written again by the resume", rel)
		}
	}
	waitUntil(t, "the journal to empty", func() bool {
		_, out, _ := ferryIn(t, home, "queue")
		return strings.Contains(out, "no unfinished transfers")
	})
	s.keys("q")
}

// settledSums is treeSums for a tree that is still being written: nil
// while a file vanishes under the walk.
func settledSums(root string) map[string]string {
	sums, err := sumTree(root)
	if err != nil {
		return nil
	}
	return sums
}
