package transfer

import (
	"testing"

	"github.com/ferry-tui/ferry/text"
)

func TestParsePolicyRoundTrips(t *testing.T) {
	for p := Ask; p <= Rename; p++ {
		if got, ok := ParsePolicy(p.String()); !ok || got != p {
			t.Errorf("ParsePolicy(%q) = %v, %v", p.String(), got, ok)
		}
	}
	if _, ok := ParsePolicy("clobber"); ok {
		t.Error(`ParsePolicy("clobber") accepted`)
	}
	// Every answer the UI and the prompts offer names a policy.
	for _, c := range text.Choices() {
		if p, ok := ParsePolicy(c.Policy); !ok || p == Ask {
			t.Errorf("text.Choices has %q, which is no answer", c.Policy)
		}
	}
}
