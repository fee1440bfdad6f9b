//go:build race

package main

// raceEnabled reports whether the tests run with the race detector, so
// that the ferry binary they build has it too.
const raceEnabled = true
