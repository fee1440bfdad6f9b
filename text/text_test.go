package text

import (
	"strings"
	"testing"
	"time"
)

func TestSize(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0"},
		{1, "1"},
		{1023, "1023"},
		{1024, "1.0K"},
		{1234, "1.2K"},
		{10 * 1024, "10K"},
		{1023 * 1024, "1023K"},
		{1024*1024 - 1, "1.0M"},
		{10 << 20, "10M"},
		{123456789, "118M"},
		{5 << 30, "5.0G"},
		{1 << 40, "1.0T"},
		{1<<63 - 1, "8.0E"},
	}
	for _, tt := range tests {
		got := Size(tt.in)
		if got != tt.want {
			t.Errorf("Size(%d) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) > SizeWidth {
			t.Errorf("Size(%d) = %q is wider than SizeWidth", tt.in, got)
		}
	}
}

func TestBytes(t *testing.T) {
	for in, want := range map[int64]string{0: "0 bytes", 1: "1 byte", 1023: "1023 bytes", 1536: "1.5K", 50 << 20: "50M"} {
		if got := Bytes(in); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, tt := range []struct {
		n          int
		noun, want string
	}{{0, "file", "0 files"}, {1, "file", "1 file"}, {3, "directory", "3 directories"}, {1, "directory", "1 directory"}} {
		if got := Plural(tt.n, tt.noun); got != tt.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", tt.n, tt.noun, got, tt.want)
		}
	}
}

func TestETA(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0:00", 59 * time.Second: "0:59", 61*time.Second + 600*time.Millisecond: "1:02",
		2*time.Hour + 3*time.Minute + 4*time.Second: "2:03:04",
	} {
		if got := ETA(d); got != want {
			t.Errorf("ETA(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestChoicesAreDistinctAndParse(t *testing.T) {
	seen := map[string]string{}
	for _, c := range Choices() {
		for _, k := range []string{c.Key, c.AllKey} {
			if other, dup := seen[k]; dup {
				t.Errorf("key %q given to %s and %s", k, other, c.Policy)
			}
			seen[k] = c.Policy
		}
		if got, all, ok := ParseChoice(" " + c.Key + "\n"); !ok || all || got.Policy != c.Policy {
			t.Errorf("ParseChoice(%q) = %v %v %v", c.Key, got.Policy, all, ok)
		}
		if got, all, ok := ParseChoice(c.AllKey); !ok || !all || got.Policy != c.Policy {
			t.Errorf("ParseChoice(%q) = %v %v %v", c.AllKey, got.Policy, all, ok)
		}
		if !strings.Contains(ChoicePrompt(), c.Key+" "+c.Label) {
			t.Errorf("prompt %q lacks %q", ChoicePrompt(), c.Key+" "+c.Label)
		}
	}
	if _, _, ok := ParseChoice("x"); ok {
		t.Error(`ParseChoice("x") accepted`)
	}
}
