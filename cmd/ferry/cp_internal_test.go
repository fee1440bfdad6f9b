package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/transfer"
)

func snapshotFor(done, total int64, name string) transfer.Snapshot {
	return transfer.Snapshot{
		TotalBytes: total, DoneBytes: done, Speed: 10 << 20, ETA: 5 * time.Second,
		Active: []transfer.JobStatus{{Src: "/x/" + name, Size: 10, Done: 5}},
	}
}

func TestAskConflictOn(t *testing.T) {
	t.Parallel()
	c := &transfer.Conflict{Src: "/a", Dst: "/b\x1b[2J", SrcSize: 10, DstSize: 20, SrcTime: time.Unix(100, 0), DstTime: time.Unix(50, 0)}
	cases := []struct {
		in   string
		want transfer.Answer
	}{
		{"o\n", transfer.Answer{Choice: transfer.Overwrite}},
		{"S\n", transfer.Answer{Choice: transfer.Skip, ForAll: true}},
		{"what\nb\n", transfer.Answer{Choice: transfer.Rename}},
		{"k\n u \n", transfer.Answer{Choice: transfer.Newer}}, // keys of the old prompt are no answer
		{"U\n", transfer.Answer{Choice: transfer.Newer, ForAll: true}},
		{"r\n", transfer.Answer{Choice: transfer.Resume}},
	}
	for _, tc := range cases {
		var out strings.Builder
		got, err := askConflictOn(context.Background(), strings.NewReader(tc.in), &out, c)
		if err != nil || got != tc.want {
			t.Errorf("%q: %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
		if !strings.Contains(out.String(), "b keep both, u if newer") {
			t.Errorf("the question does not offer the UI's keys: %q", out.String())
		}
		if strings.ContainsRune(out.String(), 0x1b) {
			t.Errorf("raw escape in the question: %q", out.String())
		}
	}
	if _, err := askConflictOn(context.Background(), strings.NewReader(""), &strings.Builder{}, c); err == nil {
		t.Error("end of input: no error")
	}
}

// Ctrl-C at the question ends it at once, closing the terminal so the
// read waiting for a line ends too.
func TestAskConflictOnCancel(t *testing.T) {
	t.Parallel()
	c := &transfer.Conflict{Src: "/a", Dst: "/b"}
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := askConflictOn(ctx, pr, &strings.Builder{}, c)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if _, err := pw.Write([]byte("o\n")); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("the input was not closed: write = %v", err)
	}
}

// An answer on the last line without a newline counts; input that ends
// without an answer is an error.
func TestAskConflictOnEndOfInput(t *testing.T) {
	t.Parallel()
	c := &transfer.Conflict{Src: "/a", Dst: "/b"}
	if got, err := askConflictOn(context.Background(), strings.NewReader("O"), &strings.Builder{}, c); err != nil || got != (transfer.Answer{Choice: transfer.Overwrite, ForAll: true}) {
		t.Fatalf("%+v, %v", got, err)
	}
	if _, err := askConflictOn(context.Background(), strings.NewReader("what\nx"), &strings.Builder{}, c); !errors.Is(err, remote.ErrNoPrompt) {
		t.Fatalf("err = %v, want ErrNoPrompt", err)
	}
}

// A line break inside a server's file name is escaped, so a failure
// cannot print a line of the server's choosing; our own multi-line
// messages keep their lines.
func TestErrTextEscapesLineBreaksInPaths(t *testing.T) {
	t.Parallel()
	name := "/srv/evil\nferry: all files copied\r"
	err := fmt.Errorf("copy %s: %w", name, &fs.PathError{Op: "read", Path: name, Err: errors.New("connection lost")})
	got := errText(errors.Join(err, errors.New("second\nline")))
	lines := strings.Split(got, "\n")
	if len(lines) != 3 || strings.ContainsAny(got, "\r") {
		t.Fatalf("errText = %q", got)
	}
	if !strings.Contains(lines[0], `/srv/evil\x0aferry: all files copied\x0d`) {
		t.Fatalf("first line = %q", lines[0])
	}
	if lines[1] != "second" || lines[2] != "line" {
		t.Fatalf("our own lines: %q", lines[1:])
	}
	// A backslash is escaped once, in the name and around it alike.
	name = `/srv/a\b` + "\n"
	got = errText(&fs.PathError{Op: `read \`, Path: name, Err: errors.New("failure")})
	if want := `read \\ /srv/a\\b\x0a: failure`; got != want {
		t.Fatalf("errText = %q, want %q", got, want)
	}
}
