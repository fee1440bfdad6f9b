package config

import (
	"strings"
	"testing"
)

func TestParseDestination(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Dest
	}{
		{"web1", Dest{Host: "web1"}},
		{"alice@web1", Dest{User: "alice", Host: "web1"}},
		{"a@b@web1", Dest{User: "a@b", Host: "web1"}},
		{"web1:", Dest{Host: "web1", HasPath: true}},
		{"web1:/srv/www", Dest{Host: "web1", Path: "/srv/www", HasPath: true}},
		{"web1:docs/a:b", Dest{Host: "web1", Path: "docs/a:b", HasPath: true}},
		{"alice@web1:docs", Dest{User: "alice", Host: "web1", Path: "docs", HasPath: true}},
		{"[::1]:/tmp", Dest{Host: "::1", Path: "/tmp", HasPath: true}},
		{"bob@[2001:db8::1]:x", Dest{User: "bob", Host: "2001:db8::1", Path: "x", HasPath: true}},
		{"[fe80::1]", Dest{Host: "fe80::1"}},
		{"::1", Dest{Host: "::1"}},
		{"sftp://web1", Dest{Host: "web1"}},
		{"sftp://web1/", Dest{Host: "web1", HasPath: true}},
		{"sftp://alice@web1:2222", Dest{User: "alice", Host: "web1", Port: 2222}},
		{"sftp://alice@web1:2222/docs/a%20b", Dest{User: "alice", Host: "web1", Port: 2222, Path: "docs/a b", HasPath: true}},
		{"sftp://web1/~/docs", Dest{Host: "web1", Path: "docs", HasPath: true}},
		{"sftp://web1/~", Dest{Host: "web1", Path: "", HasPath: true}},
		{"sftp://web1//etc/passwd", Dest{Host: "web1", Path: "/etc/passwd", HasPath: true}},
		{"sftp://a%40b;fingerprint=x@web1", Dest{User: "a@b", Host: "web1"}},
		{"sftp://[::1]:2022/x", Dest{Host: "::1", Port: 2022, Path: "x", HasPath: true}},
		{"sftp://web1:ssh", Dest{Host: "web1", Port: 22}},
	}
	for _, tt := range tests {
		got, err := ParseDestination(tt.in)
		if err != nil {
			t.Errorf("ParseDestination(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDestination(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseDestinationErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", "empty destination"},
		{"@web1", "empty user"},
		{"alice@", "empty host"},
		{"alice@:x", "empty host"},
		{"sftp://", "empty host"},
		{"sftp://alice@", "empty host"},
		{"sftp://@web1", "empty user"},
		{"sftp://web1:0", "bad port"},
		{"sftp://web1:65536/x", "bad port"},
		{"sftp://web1:/x", "empty port"},
		{"sftp://web1:no-such-service-xyz", "bad port"},
		{"sftp://[::1", "missing ']'"},
		{"sftp://web1/%zz", "bad URL escape"},
		{"sftp://web1/a%00b", "NUL"},
		{"http://web1/x", "unsupported URL scheme"},
		{"-oProxyCommand=x", "starts with '-'"},
		{"we b1", "invalid host"},
		{"a/b", "invalid host"},
	}
	for _, tt := range tests {
		_, err := ParseDestination(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseDestination(%q) error = %v, want it to mention %q", tt.in, err, tt.want)
		}
	}
}

func TestIsRemote(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"web1:x":        true,
		"web1:":         true,
		"u@web1:/x":     true,
		"[::1]:x":       true,
		"sftp://web1":   true,
		"./web1:x":      false,
		"dir/file:x":    false,
		":file":         false,
		"plain":         false,
		"/abs/path":     false,
		"u@[::1]:/tmp":  true,
		"[::1]/x:y":     false,
		"C:relative":    true, // as scp: a one-letter host
		"file-with-at@": false,
	} {
		if got := IsRemote(in); got != want {
			t.Errorf("IsRemote(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseJumpHops(t *testing.T) {
	t.Parallel()
	hops, err := ParseJumpHops("alice@j1:2201,j2,ssh://bob@j3:2203,[::1]:22,u@10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	want := []Dest{
		{User: "alice", Host: "j1", Port: 2201},
		{Host: "j2"},
		{User: "bob", Host: "j3", Port: 2203},
		{Host: "::1", Port: 22},
		{User: "u", Host: "10.0.0.1"},
	}
	if len(hops) != len(want) {
		t.Fatalf("got %d hops %+v, want %d", len(hops), hops, len(want))
	}
	for i := range want {
		if hops[i] != want[i] {
			t.Errorf("hop %d = %+v, want %+v", i, hops[i], want[i])
		}
	}
	for _, none := range []string{"", "none", "NONE"} {
		if hops, err := ParseJumpHops(none); err != nil || hops != nil {
			t.Errorf("ParseJumpHops(%q) = %v, %v; want no hops", none, hops, err)
		}
	}
	for _, bad := range []string{"j1,", "@j1", "j1:0", "j1:x y", ",j1", "[::1"} {
		if _, err := ParseJumpHops(bad); err == nil {
			t.Errorf("ParseJumpHops(%q) succeeded", bad)
		}
	}
}

func TestFormatJump(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ spec, want string }{
		{"j1", "j1"},
		{"a@j1:22", "a@j1:22"},
		{"x,10.0.0.1", "x,[10.0.0.1]"},
		{"ssh://u@h:2", "u@h:2"},
		{"p,q,u@[::1]:3", "p,q,u@[::1]:3"},
	} {
		hops, err := ParseJumpHops(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := formatJump(tt.spec, hops[len(hops)-1]); got != tt.want {
			t.Errorf("formatJump(%q) = %q, want %q", tt.spec, got, tt.want)
		}
	}
}
