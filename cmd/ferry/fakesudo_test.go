package main

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ferry-tui/ferry/internal/exectest"
)

// fakeSudoName is the name the test binary answers to as the stand-in for
// sudo: TestMain runs fakeSudoMain instead of the tests when the binary
// was started as this name.
const fakeSudoName = "sudo"

// fakeSudoMain is the stand-in for sudo -n: it reads sudoers lines
// "USER ALL=(root) [NOPASSWD: ]COMMAND" from the file "sudoers" beside the
// binary; a user whose rule for the command has NOPASSWD runs it as root,
// anyone else gets sudo's own message and exit status.
func fakeSudoMain() {
	fail := func(err any) {
		fmt.Fprintln(os.Stderr, "sudo:", err)
		os.Exit(1)
	}
	if len(os.Args) < 3 || os.Args[1] != "-n" {
		fmt.Fprintln(os.Stderr, "usage: sudo -n command [arg ...]")
		os.Exit(1)
	}
	u, err := user.LookupId(strconv.Itoa(os.Getuid()))
	if err != nil {
		fail(err)
	}
	self, err := os.Executable()
	if err != nil {
		fail(err)
	}
	rules, err := os.ReadFile(filepath.Join(filepath.Dir(self), "sudoers"))
	if err != nil {
		fail(err)
	}
	for _, line := range strings.Split(string(rules), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[0] != u.Username || f[len(f)-1] != os.Args[2] || f[len(f)-2] != "NOPASSWD:" {
			continue
		}
		for _, set := range []func() error{
			func() error { return syscall.Setgroups([]int{0}) },
			func() error { return syscall.Setgid(0) },
			func() error { return syscall.Setuid(0) },
		} {
			if err := set(); err != nil {
				fail(err)
			}
		}
		fail(syscall.Exec(os.Args[2], os.Args[2:], os.Environ()))
	}
	fail("a password is required")
}

// fakeSudo puts the stand-in for sudo -n with rules, setuid root, in a
// directory other users may enter, and returns its path. The stand-in is
// a copy of this test binary (see fakeSudoMain), so nothing is compiled.
func fakeSudo(t *testing.T, rules string) string {
	t.Helper()
	dir := traversableDir(t)
	if err := os.WriteFile(filepath.Join(dir, "sudoers"), []byte(rules), 0o440); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, fakeSudoName)
	if err := exectest.CopyFile(self, bin); err != nil {
		t.Fatalf("copy the test binary as the sudo stand-in: %v", err)
	}
	if err := os.Chown(bin, 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(bin, os.ModeSetuid|0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}
