//go:build unix

package transfer_test

import (
	"os"
	"syscall"
)

// stored returns how many bytes of data the file at path holds on disk:
// a partial file of byte ranges has holes.
func stored(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return min(st.Blocks*512, fi.Size())
	}
	return fi.Size()
}
