package sshdtest

import (
	"flag"
	"strconv"
)

// DefaultParallel sets -test.parallel to n unless the command line gave
// it. Tests that mostly wait for server processes call it from TestMain,
// after flag.Parse, to run more of them at once than there are CPUs.
func DefaultParallel(n int) {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", strconv.Itoa(n))
	}
}
