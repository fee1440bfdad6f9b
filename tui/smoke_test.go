package tui_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui"
)

// TestSmoke runs the real program loop: the first listings arrive through
// Cmds, a file name shows up on screen, and q ends the program.
func TestSmoke(t *testing.T) {
	t.Parallel()
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

// framed wraps the model to keep a copy of the last frame it drew, without
// styles, for a test to read safely while the program runs. The terminal
// output itself is a stream of cell diffs, in which a word can be split by
// cursor moves over cells that did not change.
type framed struct {
	tea.Model
	last *atomic.Value // string
}

func (f framed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := f.Model.Update(msg)
	f.Model = m
	return f, cmd
}

func (f framed) View() tea.View {
	v := f.Model.View()
	f.last.Store(ansi.Strip(v.Content))
	return v
}

// TestFlow drives the real program loop through a session: open a
// directory, make a directory, rename it, delete it with confirmation, go
// back up and quit.
func TestFlow(t *testing.T) {
	t.Parallel()
	left, right := t.TempDir(), t.TempDir()
	project := filepath.Join(left, "project dir")
	if err := os.Mkdir(project, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(project, "old näme.txt"), []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	m := tui.New(tui.Options{Left: local.New(), Right: local.New(), LeftDir: left, RightDir: right})
	frame := &atomic.Value{}
	frame.Store("")
	tm := teatest.NewTestModel(t, framed{m, frame}, teatest.WithInitialTermSize(100, 20))
	// wait polls the last frame drawn until cond holds: every key acts on
	// what is on screen, so each step waits for the screen it needs.
	wait := func(what string, cond func(screen string) bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !cond(frame.Load().(string)) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; last frame:\n%s", what, frame.Load())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	has := func(s string) func(string) bool {
		return func(screen string) bool { return strings.Contains(screen, s) }
	}
	keys := func(ks ...tea.KeyPressMsg) {
		for _, k := range ks {
			tm.Send(k)
		}
	}
	text := func(s string) {
		for _, r := range s {
			tm.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
	enter := tea.KeyPressMsg{Code: tea.KeyEnter}
	isDir := func(p string) bool { fi, err := os.Stat(p); return err == nil && fi.IsDir() }

	wait("the listing", has(" project dir/ "))
	keys(enter)
	wait("the directory", has(" old näme.txt "))

	keys(tea.KeyPressMsg{Code: tea.KeyF7})
	wait("the mkdir dialog", has("New directory in"))
	text("new dir")
	keys(enter)
	wait("mkdir", has(" new dir/ "))
	if !isDir(filepath.Join(project, "new dir")) {
		t.Fatal("new dir was not made")
	}

	keys(tea.KeyPressMsg{Code: tea.KeyF2})
	wait("the rename dialog", has("> new dir"))
	keys(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	text("renamed dir")
	keys(enter)
	wait("rename", has(" renamed dir/ "))
	if !isDir(filepath.Join(project, "renamed dir")) || isDir(filepath.Join(project, "new dir")) {
		t.Fatal("not renamed")
	}

	keys(tea.KeyPressMsg{Code: tea.KeyF8})
	wait("the confirmation", has("This cannot be undone"))
	text("y")
	wait("delete", has("deleted 1 entry"))
	if isDir(filepath.Join(project, "renamed dir")) {
		t.Fatal("not deleted")
	}

	keys(tea.KeyPressMsg{Code: tea.KeyBackspace})
	wait("the parent", has(" project dir/ "))
	text("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if _, err := os.Stat(filepath.Join(project, "old näme.txt")); err != nil {
		t.Errorf("an unrelated file is gone: %v", err)
	}
	if _, ok := tm.FinalModel(t).(framed); !ok {
		t.Errorf("final model is %T", tm.FinalModel(t))
	}
}

// TestCopyFlow runs the real program loop with a transfer engine: F5
// copies the file under the cursor to the other pane, the file arrives on
// disk, the strip shows the totals, and q quits without asking.
func TestCopyFlow(t *testing.T) {
	t.Parallel()
	left, right := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(left, "report näme.txt"), []byte("quarterly numbers"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := transfer.New(transfer.Options{Workers: 2})
	t.Cleanup(func() { e.Close() })
	m := tui.New(tui.Options{Left: local.New(), Right: local.New(), LeftDir: left, RightDir: right, Engine: e})
	frame := &atomic.Value{}
	frame.Store("")
	tm := teatest.NewTestModel(t, framed{m, frame}, teatest.WithInitialTermSize(100, 20))
	wait := func(what string, cond func(screen string) bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !cond(frame.Load().(string)) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; last frame:\n%s", what, frame.Load())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	has := func(s string) func(string) bool {
		return func(screen string) bool { return strings.Contains(screen, s) }
	}

	wait("both listings", func(s string) bool {
		return strings.Contains(s, " report näme.txt ") && strings.Contains(s, "empty directory")
	})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyF5})
	wait("the copy dialog", has("Copy report näme.txt to local:"))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	dst := filepath.Join(right, "report näme.txt")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(dst); err == nil && string(b) == "quarterly numbers" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the copy never arrived; last frame:\n%s", frame.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
	wait("the strip's totals", has("1/1 files · 17/17 · idle"))
	wait("the destination pane", func(s string) bool { return strings.Count(s, " report näme.txt ") == 2 })
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}
