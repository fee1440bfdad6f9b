//go:build !unix

package journal

import "os"

const noFollow = 0

// alive reports whether process pid exists; where that cannot be told,
// only this process counts.
func alive(pid int) bool { return pid == os.Getpid() }
