package main

import (
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestSSHDCompleteRemotePath: HOST:PATH completes by listing over a
// connection, relative to the login directory or absolute.
func TestSSHDCompleteRemotePath(t *testing.T) {
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	for _, d := range []string{"albums", "other"} {
		if err := os.Mkdir(filepath.Join(srv.Dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"alpha.txt", ".alpine", "albums/one.jpg"} {
		if err := os.WriteFile(filepath.Join(srv.Dir, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"-F", cfg, "ls", "box:al"}, []string{"box:albums/", "box:alpha.txt"}},
		{[]string{"-F", cfg, "cp", "box:albums/"}, []string{"box:albums/one.jpg"}},
		{[]string{"get", "-F", cfg, "box:" + srv.Dir + "/o"}, []string{"box:" + srv.Dir + "/other/"}},
		{[]string{"-F", cfg, "rm", "box:.al"}, []string{"box:.alpine"}},
		{[]string{"-F", cfg, "ls", "box:nosuchdir/"}, nil},
	}
	for _, c := range cases {
		got, dir := completions(t, c.args...)
		if !slices.Equal(got, c.want) || dir != ":6" {
			t.Errorf("%q: %q %s; want %q :6", c.args, got, dir, c.want)
		}
	}
}

// TestCompleteRemoteNeverHangs: a server that accepts and never answers,
// or a closed port, gives no completions within the time budget.
func TestCompleteRemoteNeverHangs(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c) // say nothing
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	p := filepath.Join(t.TempDir(), "ssh_config")
	cfg := "Host mute\n  HostName 127.0.0.1\n  Port " + strconv.Itoa(port) + "\n\nHost closed\n  HostName 127.0.0.1\n  Port 1\n"
	if err := os.WriteFile(p, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"mute", "closed"} {
		start := time.Now()
		got, _ := completions(t, "-F", p, "ls", host+":")
		// The bound catches a hang (a mute server never answers), not a
		// slow machine: under -race on a loaded CI runner the in-process
		// run around the budget has taken 3 s.
		if len(got) != 0 || time.Since(start) > completionBudget+8*time.Second {
			t.Errorf("%s: %q after %v", host, got, time.Since(start))
		}
	}
}
