package ttyprompt_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/ferry-tui/ferry/remote/prompt"
	"github.com/ferry-tui/ferry/remote/ttyprompt"
)

// openPTY opens a pseudo-terminal pair: the master, where the test plays
// the user, and the slave, the prompter's terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		master.Close()
		t.Skipf("unlockpt: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		master.Close()
		t.Skipf("ptsname: %v", e)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		t.Skipf("open pty slave: %v", err)
	}
	t.Cleanup(func() {
		slave.Close()
		master.Close()
	})
	return master, slave
}

// echoOn reports whether the terminal f echoes input.
func echoOn(t *testing.T, f *os.File) bool {
	t.Helper()
	var tio syscall.Termios
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&tio))); e != 0 {
		t.Fatalf("TCGETS: %v", e)
	}
	return tio.Lflag&syscall.ECHO != 0
}

// screen collects what the master side reads: everything the terminal
// shows.
type screen struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *screen) waitFor(t *testing.T, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(s.String(), what) {
		if time.Now().After(deadline) {
			t.Fatalf("terminal never showed %q; it shows %q", what, s.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestTTYSecretIsNotEchoedOnARealTerminal(t *testing.T) {
	master, slave := openPTY(t)
	var scr screen
	go func() {
		buf := make([]byte, 1024)
		for {
			n, err := master.Read(buf)
			scr.mu.Lock()
			scr.b.Write(buf[:n])
			scr.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	var warn bytes.Buffer
	p := ttyprompt.New(ttyprompt.Config{In: slave, Out: slave, Warn: &warn})

	type result struct {
		answers []string
		err     error
	}
	done := make(chan result, 1)
	go func() {
		a, err := p.KeyboardInteractive(context.Background(), "", "", []prompt.Challenge{
			{Prompt: "Password: ", Echo: false},
			{Prompt: "Code: ", Echo: true},
		})
		done <- result{a, err}
	}()

	scr.waitFor(t, "Password: ")
	for deadline := time.Now().Add(10 * time.Second); echoOn(t, slave); {
		if time.Now().After(deadline) {
			t.Fatal("echo was never turned off for the secret")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := master.Write([]byte("hunter2\n")); err != nil {
		t.Fatal(err)
	}
	scr.waitFor(t, "Code: ")
	if !echoOn(t, slave) {
		t.Error("echo is still off after the secret was read")
	}
	if _, err := master.Write([]byte("424242\n")); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("KeyboardInteractive did not return")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	if len(r.answers) != 2 || r.answers[0] != "hunter2" || r.answers[1] != "424242" {
		t.Errorf("answers = %q", r.answers)
	}
	scr.waitFor(t, "424242")
	if strings.Contains(scr.String(), "hunter2") {
		t.Errorf("the secret was echoed: %q", scr.String())
	}
}
