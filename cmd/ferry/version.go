package main

import (
	"runtime"
	"runtime/debug"
)

// buildVersion is set at link time: -ldflags "-X main.buildVersion=v1.2.3".
var buildVersion = ""

// version describes the build: the linked-in version, else the module
// version that go install recorded, else "devel" with the VCS revision
// when the build recorded one; then the Go version, as "v1.2.3 (go1.26.8)".
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return describeVersion(buildVersion, bi, runtime.Version())
}

// describeVersion is version's logic, given what the build recorded.
func describeVersion(linked string, bi *debug.BuildInfo, goVersion string) string {
	v := linked
	if v == "" && bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	if v == "" {
		v = "devel"
		if bi != nil {
			var rev, dirty string
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					rev = s.Value
				case "vcs.modified":
					if s.Value == "true" {
						dirty = "+dirty"
					}
				}
			}
			if rev != "" {
				v += " " + rev[:min(len(rev), 12)] + dirty
			}
		}
	}
	return v + " (" + goVersion + ")"
}
