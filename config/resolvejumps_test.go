package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestResolveJumps(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	cfg := filepath.Join(te.home, "cfg")
	data := `Host target
  ProxyJump alice@j1:2201,j2
  IdentityFile /keys/target
Host j1
  HostName j1.example.com
  Port 22
Host j2
  User j2user
  ProxyJump ignored-for-later-hops
Host *
  ProxyJump outer
`
	if err := os.WriteFile(cfg, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := te.options(cfg)
	opts.Overrides = []string{"User=not-for-hops"}
	h, err := Resolve(Dest{Host: "target"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	hops, err := ResolveJumps(h, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(hops) != 2 {
		t.Fatalf("got %d hops, want 2", len(hops))
	}
	j1, j2 := hops[0], hops[1]
	if j1.HostName != "j1.example.com" || j1.User != "alice" || j1.Port != 2201 || j1.ProxyJump != "outer" {
		t.Errorf("j1 = %s@%s:%d via %q, want alice@j1.example.com:2201 via its own ProxyJump outer", j1.User, j1.HostName, j1.Port, j1.ProxyJump)
	}
	if j2.HostName != "j2" || j2.User != "j2user" || j2.Port != 22 || j2.ProxyJump != "alice@j1:2201" {
		t.Errorf("j2 = %s@%s:%d via %q, want j2user@j2:22 via alice@j1:2201", j2.User, j2.HostName, j2.Port, j2.ProxyJump)
	}
	if none, err := ResolveJumps(Host{}, opts); err != nil || len(none) != 0 {
		t.Errorf("no ProxyJump: %v, %v", none, err)
	}
}
