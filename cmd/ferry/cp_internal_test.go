package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

func snapshotFor(done, total int64, name string) transfer.Snapshot {
	return transfer.Snapshot{
		TotalBytes: total, DoneBytes: done, Speed: 10 << 20, ETA: 5 * time.Second,
		Active: []transfer.JobStatus{{Src: "/x/" + name, Size: 10, Done: 5}},
	}
}

func TestAskConflictOn(t *testing.T) {
	c := &transfer.Conflict{Src: "/a", Dst: "/b\x1b[2J", SrcSize: 10, DstSize: 20, SrcTime: time.Unix(100, 0), DstTime: time.Unix(50, 0)}
	cases := []struct {
		in   string
		want transfer.Answer
	}{
		{"o\n", transfer.Answer{Choice: transfer.Overwrite}},
		{"S\n", transfer.Answer{Choice: transfer.Skip, ForAll: true}},
		{"what\nk\n", transfer.Answer{Choice: transfer.Rename}},
		{"N\n", transfer.Answer{Choice: transfer.Newer, ForAll: true}},
		{"r\n", transfer.Answer{Choice: transfer.Resume}},
	}
	for _, tc := range cases {
		var out strings.Builder
		got, err := askConflictOn(context.Background(), strings.NewReader(tc.in), &out, c)
		if err != nil || got != tc.want {
			t.Errorf("%q: %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
		if strings.ContainsRune(out.String(), 0x1b) {
			t.Errorf("raw escape in the question: %q", out.String())
		}
	}
	if _, err := askConflictOn(context.Background(), strings.NewReader(""), &strings.Builder{}, c); err == nil {
		t.Error("end of input: no error")
	}
}
