package common

import (
	"slices"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestFit(t *testing.T) {
	tests := []struct {
		in   string
		w    int
		want string
	}{
		{"abc", 5, "abc  "},
		{"abcdef", 5, "abcd…"},
		{"日本語日本語", 5, "日本…"},
		{"日本語日本語", 4, "日… "},
		{"日本", 4, "日本"},
		{"abc", 0, ""},
		{"abc", 1, "…"},
	}
	for _, tt := range tests {
		got := Fit(tt.in, tt.w)
		if got != tt.want {
			t.Errorf("Fit(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
		}
		if w := ansi.StringWidth(got); w != tt.w {
			t.Errorf("Fit(%q, %d) is %d wide", tt.in, tt.w, w)
		}
	}
}

func TestFitLeft(t *testing.T) {
	tests := []struct {
		in   string
		w    int
		want string
	}{
		{"local:/srv", 12, "local:/srv  "},
		{"local:/home/user/projects", 12, "…er/projects"},
		{"web1:/日本語/日本語", 6, "…本語 "},
		{"web1:/日本語/日本語", 5, "…本語"},
		{"日本語", 1, "…"},
	}
	for _, tt := range tests {
		got := FitLeft(tt.in, tt.w)
		if got != tt.want {
			t.Errorf("FitLeft(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
		}
		if w := ansi.StringWidth(got); w != tt.w {
			t.Errorf("FitLeft(%q, %d) is %d wide", tt.in, tt.w, w)
		}
	}
}

func TestFitMiddle(t *testing.T) {
	for _, tt := range []struct {
		in   string
		w    int
		want string
	}{
		{"/srv/data/report.csv", 30, "/srv/data/report.csv          "},
		{"/srv/data/very/deep/report.csv", 16, "/srv/da…port.csv"},
		{"/srv/日本語/report.csv", 12, "/srv/…rt.csv"},
		{"abcdef", 1, "…"},
		{"abcdef", 2, "…f"},
	} {
		got := FitMiddle(tt.in, tt.w)
		if got != tt.want || ansi.StringWidth(got) != tt.w {
			t.Errorf("FitMiddle(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	for _, tt := range []struct {
		in   string
		w    int
		want []string
	}{
		{"3 files, 1.2 MiB in all. This cannot be undone.", 20, []string{"3 files, 1.2 MiB in", "all. This cannot be", "undone."}},
		{"short", 20, []string{"short"}},
		{"", 20, []string{""}},
		{"copy /srv/data/very/deep/report.csv now", 16, []string{"copy", "/srv/da…port.csv", "now"}},
		{"abcdefghij xy", 4, []string{"abcd", "efgh", "ij", "xy"}},
		{"日本語", 1, []string{"日", "本", "語"}},
	} {
		got := Wrap(tt.in, tt.w)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Wrap(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
		}
	}
}
