package remote

import "github.com/ferry-tui/ferry/remote/prompt"

// The prompting contract lives in remote/prompt, where remote/auth and
// remote/knownhosts use it without importing remote. These aliases keep it
// part of remote's API, since a Dialer takes a Prompter.

// Prompter asks the user for secrets and decisions while connecting; see
// prompt.Prompter.
type Prompter = prompt.Prompter

// NoPrompter refuses every question; see prompt.NoPrompter.
type NoPrompter = prompt.NoPrompter

// HostKeyQuestion describes an unknown host key for the user to judge; see
// prompt.HostKeyQuestion.
type HostKeyQuestion = prompt.HostKeyQuestion

// Challenge is one keyboard-interactive question; see prompt.Challenge.
type Challenge = prompt.Challenge

// ErrNoPrompt is returned by a Prompter that may not ask: it is
// prompt.ErrNoPrompt, so errors.Is matches either name.
var ErrNoPrompt = prompt.ErrNoPrompt
