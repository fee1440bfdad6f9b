package common

import (
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
