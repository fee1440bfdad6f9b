package testhost

import (
	"strconv"
	"strings"
	"testing"
)

func TestSkipOrFailSkipsUnlessRequired(t *testing.T) {
	const env = "FERRY_TESTHOST_REQUIRE"
	CheckSkipOrFail(t, env, func(tb testing.TB) string {
		SkipOrFail(tb, env, "testhost: a thing not found")
		return "the thing"
	}, "testhost: a thing not found", env)
}

func TestTailKeepsTheLastLines(t *testing.T) {
	var lines []string
	for i := 1; i <= 50; i++ {
		lines = append(lines, "line "+strconv.Itoa(i))
	}
	got := Tail("/x/server.log", strings.Join(lines, "\n")+"\n")
	want := "--- last lines of /x/server.log ---\n" + strings.Join(lines[10:], "\n")
	if got != want {
		t.Errorf("Tail =\n%s\nwant\n%s", got, want)
	}
}
