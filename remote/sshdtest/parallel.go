package sshdtest

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"
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

// RunParallel is a TestMain for a package whose tests mostly wait (for
// server processes, a delay proxy, a command's result): it parses the
// flags, runs perCPU tests per CPU at once unless -test.parallel says
// otherwise, runs the tests and exits with their status.
func RunParallel(m *testing.M, perCPU int) {
	flag.Parse()
	DefaultParallel(perCPU * runtime.GOMAXPROCS(0))
	os.Exit(m.Run())
}
