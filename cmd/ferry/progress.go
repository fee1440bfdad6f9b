package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
)

// progressBar draws one line of transfer progress on a terminal: total
// percentage and bytes, speed, ETA, and the file in flight with its own
// percentage. When the output is not a terminal it draws nothing.
type progressBar struct {
	w     io.Writer
	on    bool
	drawn bool
}

func newProgressBar(w io.Writer, terminal bool) *progressBar {
	return &progressBar{w: w, on: terminal}
}

// draw replaces the line with snap's state.
func (b *progressBar) draw(snap transfer.Snapshot) {
	if !b.on {
		return
	}
	b.drawn = true
	fmt.Fprint(b.w, "\r\x1b[K"+progressLine(snap, 80))
}

// clear removes the line, so other output starts at column 0.
func (b *progressBar) clear() {
	if b.on && b.drawn {
		fmt.Fprint(b.w, "\r\x1b[K")
		b.drawn = false
	}
}

// progressLine renders snap in at most width columns.
func progressLine(snap transfer.Snapshot, width int) string {
	const barWidth = 20
	pct := 0.0
	if snap.TotalBytes > 0 {
		pct = float64(snap.DoneBytes) / float64(snap.TotalBytes)
	}
	filled := int(pct * barWidth)
	total := text.Bytes(snap.TotalBytes)
	if snap.Counting {
		total += " (counting…)"
	}
	eta := "--:--"
	if snap.ETA >= 0 && !snap.Counting {
		eta = text.ETA(snap.ETA)
	}
	line := fmt.Sprintf("[%s%s] %3.0f%% %s/%s %s/s ETA %s",
		strings.Repeat("#", filled), strings.Repeat(" ", barWidth-filled), pct*100,
		text.Bytes(snap.DoneBytes), total, text.Bytes(int64(snap.Speed)), eta)
	if len(snap.Active) > 0 {
		j := snap.Active[0]
		name := text.Sanitize(baseName(j.Src))
		filePct := 100.0
		if j.Size > 0 {
			filePct = float64(j.Done) / float64(j.Size) * 100
		}
		line += fmt.Sprintf("  %s %.0f%%", name, filePct)
	}
	if r := []rune(line); len(r) > width {
		line = string(r[:width-1]) + "…"
	}
	return line
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// askConflict asks on the terminal what to do with an existing file.
// The keys are the UI's (text.Choices): lowercase answers apply to this
// file, uppercase to every conflict of the batch. Without a terminal it returns remote.ErrNoPrompt.
func (s *session) askConflict(ctx context.Context, c *transfer.Conflict) (transfer.Answer, error) {
	if s.openTTY == nil {
		return transfer.Answer{}, remote.ErrNoPrompt
	}
	tty, err := s.openTTY()
	if err != nil {
		return transfer.Answer{}, remote.ErrNoPrompt
	}
	defer tty.Close()
	return askConflictOn(ctx, tty, tty, c)
}

// askConflictOn asks the conflict question on in and out. Cancelling ctx
// (Ctrl-C) ends the question at once: in is closed when it can be, so the
// pending read ends too.
func askConflictOn(ctx context.Context, in io.Reader, out io.Writer, c *transfer.Conflict) (transfer.Answer, error) {
	const layout = "2006-01-02 15:04:05"
	what := "already exists"
	if c.Partial {
		what = "does not exist, but an interrupted copy left a partial file of it"
	}
	fmt.Fprintf(out, "%s %s (%s, %s); the source is %s, %s.\n",
		text.Sanitize(c.Dst), what, text.Bytes(c.DstSize), c.DstTime.Local().Format(layout), text.Bytes(c.SrcSize), c.SrcTime.Local().Format(layout))
	type answer struct {
		line string
		err  error
	}
	// The reader reads one line per request, so nothing is read past the
	// answer even where closing in cannot interrupt a read.
	lines := make(chan answer, 1)
	next := make(chan struct{})
	defer close(next)
	go func() {
		r := bufio.NewReader(in)
		for range next {
			line, err := r.ReadString('\n')
			lines <- answer{line, err}
			if err != nil {
				return
			}
		}
	}()
	for {
		fmt.Fprint(out, text.ChoicePrompt())
		next <- struct{}{}
		var got answer
		select {
		case <-ctx.Done():
			if c, ok := in.(io.Closer); ok {
				c.Close()
			}
			fmt.Fprintln(out)
			return transfer.Answer{}, ctx.Err()
		case got = <-lines:
		}
		c, forAll, ok := text.ParseChoice(got.line)
		choice, known := transfer.ParsePolicy(c.Policy)
		switch {
		case ok && known:
			return transfer.Answer{Choice: choice, ForAll: forAll}, nil
		case got.err != nil:
			// The input ended without an answer.
			return transfer.Answer{}, errors.Join(remote.ErrNoPrompt, got.err)
		}
	}
}
