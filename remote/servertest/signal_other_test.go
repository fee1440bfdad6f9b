//go:build !unix

package servertest

import "testing"

// processExists returns false: there are no process kinds here.
func processExists(int) bool { return false }

// descendantsOf returns nil: processes cannot be found here.
func descendantsOf(*testing.T, int) []procInfo { return nil }
