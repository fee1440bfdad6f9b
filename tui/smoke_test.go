package tui_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/tui"
)

// TestSmoke runs the real program loop: the first listings arrive through
// Cmds, a file name shows up on screen, and q ends the program.
func TestSmoke(t *testing.T) {
	left, right := t.TempDir(), t.TempDir()
	for _, p := range []string{
		filepath.Join(left, "left side.txt"),
		filepath.Join(right, "ünïcödé on the right.txt"),
		filepath.Join(right, "evil\x1b[2Jname"),
	} {
		if err := os.WriteFile(p, []byte("hi"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	m := tui.New(tui.Options{Left: local.New(), Right: local.New(), LeftDir: left, RightDir: right})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 20))

	var seen []byte // everything WaitFor read
	teatest.WaitFor(t, tm.Output(), func(out []byte) bool {
		seen = append(seen[:0], out...)
		return bytes.Contains(out, []byte("left side.txt")) &&
			bytes.Contains(out, []byte("ünïcödé on the right.txt")) &&
			bytes.Contains(out, []byte(`evil\x1b[2Jname`))
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))

	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	rest, err := io.ReadAll(tm.FinalOutput(t))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(append(seen, rest...), []byte("evil\x1b[2Jname")) {
		t.Error("a raw escape sequence from a file name reached the terminal")
	}
	if _, ok := tm.FinalModel(t).(*tui.Model); !ok {
		t.Errorf("final model is %T", tm.FinalModel(t))
	}
}
