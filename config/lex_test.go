package config

import (
	"slices"
	"strings"
	"testing"
)

func TestSplitDirective(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in      string
		keyword string
		args    []string
		raw     string
	}{
		{"Host a b", "host", []string{"a", "b"}, "a b"},
		{"  HostName=x.example", "hostname", []string{"x.example"}, "x.example"},
		{"Port = 22", "port", []string{"22"}, "22"},
		{"Port\t=\t22  ", "port", []string{"22"}, "22"},
		{"User =bob # comment", "user", []string{"bob"}, "bob # comment"},
		{`IdentityFile "/a b/c" d\ e`, "identityfile", []string{"/a b/c", "d e"}, `"/a b/c" d\ e`},
		{`ProxyCommand sh -c 'echo "#x"' #c`, "proxycommand", []string{"sh", "-c", `echo "#x"`}, `sh -c 'echo "#x"' #c`},
		{`IdentityFile /k#1`, "identityfile", []string{"/k#1"}, "/k#1"},
		{`X a\"b c\\d e\q`, "x", []string{`a"b`, `c\d`, `e\q`}, `a\"b c\\d e\q`},
		{"Host\ta\tb\r", "host", []string{"a", "b"}, "a\tb"},
		{`User ""`, "user", []string{""}, `""`},
		{"Port", "port", nil, ""},
	} {
		d, ok, err := splitDirective(tt.in)
		if err != nil || !ok {
			t.Errorf("splitDirective(%q) = %v, %v", tt.in, ok, err)
			continue
		}
		if d.keyword != tt.keyword || !slices.Equal(d.args, tt.args) || d.rawValue() != tt.raw {
			t.Errorf("splitDirective(%q) = %q %q raw %q; want %q %q raw %q", tt.in, d.keyword, d.args, d.rawValue(), tt.keyword, tt.args, tt.raw)
		}
	}
	for _, blank := range []string{"", "   ", "# comment", "\t# x", "\r"} {
		if _, ok, err := splitDirective(blank); ok || err != nil {
			t.Errorf("splitDirective(%q) = %v, %v; want a blank line", blank, ok, err)
		}
	}
	if _, _, err := splitDirective(`User "unterminated`); err == nil {
		t.Error("unterminated quote accepted")
	}
}

func TestMatchPattern(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		s, p string
		want bool
	}{
		{"web1", "web?", true},
		{"web", "web?", false},
		{"web12", "web?", false},
		{"a.example.com", "*.example.com", true},
		{"example.com", "*.example.com", false},
		{"abc", "*", true},
		{"", "*", true},
		{"abc", "a*c", true},
		{"abcbc", "a*bc", true},
		{"ABC", "abc", false},
		{"a.b", "a?b", true},
		{"x", "**x", true},
	} {
		if got := matchPattern(tt.s, tt.p); got != tt.want {
			t.Errorf("matchPattern(%q, %q) = %v", tt.s, tt.p, got)
		}
	}
	for _, tt := range []struct {
		s, list string
		want    int
	}{
		{"usekeychain", "UseKeychain,Foo*", 1},
		{"foobar", "UseKeychain,Foo*", 1},
		{"bar", "UseKeychain,Foo*", 0},
		{"aes128-cbc", "*-cbc,!aes*", -1},
	} {
		if got := matchPatternList(tt.s, tt.list, true); got != tt.want {
			t.Errorf("matchPatternList(%q, %q) = %d, want %d", tt.s, tt.list, got, tt.want)
		}
	}
	if p, ok := matchHostLine("a.corp", []string{"x", "*.corp", "a.*"}); !ok || p != "*.corp" {
		t.Errorf("matchHostLine = %q, %v", p, ok)
	}
	if _, ok := matchHostLine("b.corp", []string{"*.corp", "!b.corp"}); ok {
		t.Error("negated pattern did not disable the line")
	}
}

func TestAssembleAlgorithms(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		set   algorithmSet
		value string
		want  string
	}{
		{cipherSet, "", strings.Join(defaultCiphers, ",")},
		{cipherSet, "aes256-ctr,aes128-ctr", "aes256-ctr,aes128-ctr"},
		{cipherSet, "+aes128-cbc,aes128-ctr", strings.Join(defaultCiphers, ",") + ",aes128-cbc"},
		{cipherSet, "^aes256-gcm@openssh.com", "aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com"},
		{cipherSet, "-aes*", "chacha20-poly1305@openssh.com"},
		{hostKeySet, "ssh-ed25519*", "ssh-ed25519,ssh-ed25519-cert-v01@openssh.com"},
	} {
		got, err := tt.set.assemble(tt.value)
		if err != nil || strings.Join(got, ",") != tt.want {
			t.Errorf("%s %q = %q, %v; want %q", tt.set.name, tt.value, strings.Join(got, ","), err, tt.want)
		}
	}
	if _, err := cipherSet.assemble("-*"); err != nil {
		t.Errorf("removing everything: %v", err) // OpenSSH allows an empty '-' result
	}
	for _, bad := range []string{"aes*", "nope", "+nope", "aes128-ctr,"} {
		if err := cipherSet.validate(bad); err == nil {
			t.Errorf("Ciphers %q accepted", bad)
		}
	}
	if err := cipherSet.validate("-nope*"); err != nil {
		t.Errorf("'-' lists are not checked: %v", err)
	}
	if err := hostKeySet.validate("+ssh-rsa*"); err != nil {
		t.Errorf("HostKeyAlgorithms wildcard rejected: %v", err)
	}
}

func TestConvTime(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"0": 0, "90": 90, "1m30s": 90, "2M": 120, "1h2m": 3720, "1d": 86400, "2w": 1209600, "10S": 10} {
		if got, ok := convTime(in); !ok || got != want {
			t.Errorf("convTime(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "x", "1x", "-1", "m", "99999999999"} {
		if _, ok := convTime(bad); ok {
			t.Errorf("convTime(%q) accepted", bad)
		}
	}
}
