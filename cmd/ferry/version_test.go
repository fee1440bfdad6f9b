package main

import (
	"runtime/debug"
	"testing"
)

func TestDescribeVersion(t *testing.T) {
	t.Parallel()
	rev := []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}
	for _, c := range []struct {
		linked string
		bi     *debug.BuildInfo
		want   string
	}{
		{"v1.2.3", &debug.BuildInfo{Main: debug.Module{Version: "v0.9.0"}}, "v1.2.3 (go1.26.8)"},
		{"", &debug.BuildInfo{Main: debug.Module{Version: "v0.9.0"}}, "v0.9.0 (go1.26.8)"},
		{"", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: rev}, "devel 0123456789ab+dirty (go1.26.8)"},
		{"", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel (go1.26.8)"},
		{"", nil, "devel (go1.26.8)"},
	} {
		if got := describeVersion(c.linked, c.bi, "go1.26.8"); got != c.want {
			t.Errorf("describeVersion(%q, ...) = %q, want %q", c.linked, got, c.want)
		}
	}
}
