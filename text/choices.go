package text

import "strings"

// Choice is one answer to "the destination already exists", with the keys
// that give it. The UI's conflict dialog and the headless commands' prompt
// are both built from Choices, so the same key means the same thing in
// both.
type Choice struct {
	// Policy names the transfer policy the answer picks, as
	// transfer.Policy's String method spells it.
	Policy string
	// Key answers for this file only.
	Key string
	// AllKey answers for every conflict of the same copy.
	AllKey string
	// Label says what Key does, for help and prompts.
	Label string
	// AllLabel says what AllKey does.
	AllLabel string
}

// Choices returns the answers to a conflict in the order they are offered.
func Choices() []Choice {
	return []Choice{
		{Policy: "overwrite", Key: "o", AllKey: "O", Label: "overwrite", AllLabel: "overwrite all"},
		{Policy: "skip", Key: "s", AllKey: "S", Label: "skip", AllLabel: "skip all"},
		{Policy: "resume", Key: "r", AllKey: "R", Label: "resume", AllLabel: "resume all"},
		{Policy: "rename", Key: "b", AllKey: "B", Label: "keep both", AllLabel: "keep both for all"},
		{Policy: "newer", Key: "u", AllKey: "U", Label: "if newer", AllLabel: "if newer for all"},
	}
}

// ChoicePrompt is the question the headless commands ask on a terminal:
// "o overwrite, s skip, ... (capital letter: for all)? ".
func ChoicePrompt() string {
	var b strings.Builder
	for i, c := range Choices() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Key + " " + c.Label)
	}
	b.WriteString(" (capital letter: for all)? ")
	return b.String()
}

// ParseChoice reads a typed answer: a choice's Key answers for this file,
// its AllKey for the whole copy. Surrounding spaces are ignored.
func ParseChoice(s string) (c Choice, forAll, ok bool) {
	s = strings.TrimSpace(s)
	for _, c := range Choices() {
		switch s {
		case c.Key:
			return c, false, true
		case c.AllKey:
			return c, true, true
		}
	}
	return Choice{}, false, false
}
