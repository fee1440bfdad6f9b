package servertest

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"
)

// TestMain runs the tests. The servers' cases spend their time waiting
// for server processes (starting, stopping, frozen on purpose), so unless
// -test.parallel says otherwise, every kind runs at once.
func TestMain(m *testing.M) {
	flag.Parse()
	if !flagGiven("test.parallel") {
		_ = flag.Set("test.parallel", strconv.Itoa(max(len(Kinds()), runtime.GOMAXPROCS(0))))
	}
	os.Exit(m.Run())
}

// flagGiven reports whether the flag name was set on the command line.
func flagGiven(name string) bool {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
