package config

import (
	"strings"
	"testing"
)

func TestExpandTilde(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, home, want string }{
		{"~", "/home/u", "/home/u/"},
		{"~/", "/home/u", "/home/u/"},
		{"~/.ssh/id", "/home/u", "/home/u/.ssh/id"},
		{"~//x", "/home/u/", "/home/u/x"},
		{"~u/k", "/home/u", "/home/u/k"},
		{"~u", "/home/u", "/home/u/"},
		{"/abs/~/x", "/home/u", "/abs/~/x"},
		{"rel", "/home/u", "rel"},
		{"~/x", "/", "/x"},
	} {
		got, err := expandTilde(tt.in, tt.home, "u")
		if err != nil || got != tt.want {
			t.Errorf("expandTilde(%q, %q) = %q, %v; want %q", tt.in, tt.home, got, err, tt.want)
		}
	}
	if _, err := expandTilde("~other/x", "/home/u", "u"); err == nil {
		t.Error("expandTilde(~other) succeeded")
	}
	if _, err := expandTilde("~/x", "", "u"); err == nil {
		t.Error("expandTilde with no home succeeded")
	}
}

func TestExpandTokens(t *testing.T) {
	t.Parallel()
	tok := tokens{'h': "host.example", 'p': "22", 'r': "bob", 'u': "alice", 'd': "/home/alice"}
	env := map[string]string{"DIR": "/env", "N": "7"}
	getenv := func(k string) string { return env[k] }
	for _, tt := range []struct{ in, want string }{
		{"%d/.ssh/%r@%h:%p", "/home/alice/.ssh/bob@host.example:22"},
		{"100%%", "100%"},
		{"%%h", "%h"},
		{"${DIR}/k${N}", "/env/k7"},
		{"$DIR/k", "$DIR/k"},
		{"%u-${N}-%%-%p", "alice-7-%-22"},
		{"plain", "plain"},
	} {
		got, err := expandTokens(tt.in, tok, getenv)
		if err != nil || got != tt.want {
			t.Errorf("expandTokens(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"%z", "unknown token %z"},
		{"x%", "at end"},
		{"${UNSET}", "no value"},
		{"${DIR", "missing closing"},
		{"${}", "zero-length"},
	} {
		_, err := expandTokens(tt.in, tok, getenv)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("expandTokens(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
	// Without getenv (HostName, ProxyCommand) ${VAR} is left alone.
	if got, err := expandTokens("${DIR}%h", tok, nil); err != nil || got != "${DIR}host.example" {
		t.Errorf("expandTokens without env = %q, %v", got, err)
	}
}

func TestConnectionHash(t *testing.T) {
	t.Parallel()
	// %C as printed by OpenSSH 9.2 for local host "vm", host
	// real.foo.example.com, port 2200, user bob.
	const want = "b4dd532d874f3bd8755c79ee633e811caa0f30db"
	if got := connectionHash("vm", "real.foo.example.com", "2200", "bob"); got != want {
		t.Errorf("connectionHash = %s, want %s", got, want)
	}
}

func TestResolveExpandsPaths(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	cfg := te.install(t, "testdata/corpus/15-tokens.conf")
	opts := te.options(cfg)
	opts.LocalHostname, opts.UID, opts.LocalUser = "box.lan", "1000", "alice"
	h, err := Resolve(Dest{Host: "tok"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	hash := connectionHash("box.lan", "tok.with%percent.example.com", "22", "tokuser")
	want := []string{
		te.home + "/.ssh/tokuser@tok.with%percent.example.com:22",
		te.home + "/.ssh/tok-tok-alice-1000-box.lan-box-" + hash,
	}
	if strings.Join(h.IdentityFiles, "\n") != strings.Join(want, "\n") {
		t.Errorf("IdentityFiles = %q, want %q", h.IdentityFiles, want)
	}
	if got, want := h.ProxyCommand, "ssh -W tok.with%percent.example.com:22 -l tokuser tok"; got != want {
		t.Errorf("ProxyCommand = %q, want %q", got, want)
	}
	if got, want := h.IdentityAgent, te.home+"/agent/"+hash; got != want {
		t.Errorf("IdentityAgent = %q, want %q", got, want)
	}
	if got, want := h.UserKnownHostsFiles[len(h.UserKnownHostsFiles)-1], te.home+"/kh/100%"; got != want {
		t.Errorf("last UserKnownHostsFile = %q, want %q", got, want)
	}
}
