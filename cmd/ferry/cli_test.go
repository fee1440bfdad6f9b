package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// cliRun runs one command line in-process on an app without a terminal
// for the UI, so that opening a host stops at the terminal check.
func cliRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	a, out, errb := testApp(t)
	a.uiTerminal = func() bool { return false }
	code = run(context.Background(), a, args)
	return code, out.String(), errb.String()
}

// cliConfig writes an ssh config with an alias acc on a closed port and a
// host literally named cp, for checking what the flags reached.
func cliConfig(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ssh_config")
	cfg := "Host acc\n  HostName 127.0.0.1\n  Port 1\n  BatchMode yes\n\nHost cp\n  HostName 10.9.8.7\n\nHost web*\n  User w\n"
	if err := os.WriteFile(p, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCLIHelpOnStdoutExitZero(t *testing.T) {
	t.Parallel()
	check := func(args []string, want string) string {
		t.Helper()
		code, out, errs := cliRun(t, args...)
		if code != exitOK || errs != "" || !strings.Contains(out, "Usage:") || !strings.Contains(out, want) {
			t.Errorf("%q: exit %d, stderr %q, stdout %q; want exit 0, help naming %q on stdout only", args, code, errs, out, want)
		}
		if n := strings.Count(out, "Usage:"); n != 1 {
			t.Errorf("%q: usage printed %d times", args, n)
		}
		return out
	}
	for _, long := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		check(long, "ferry [flags] [HOST]")
	}
	// Every command a user can call.
	for _, sub := range []string{"open", "cp", "get", "put", "mv", "ls", "mkdir", "rmdir", "rm", "rename", "resolve", "demo", "version", "completion"} {
		flagHelp := check([]string{sub, "--help"}, "ferry "+sub)
		if short := check([]string{sub, "-h"}, "ferry "+sub); short != flagHelp {
			t.Errorf("%s -h and --help differ", sub)
		}
		if topic := check([]string{"help", sub}, "ferry "+sub); topic != flagHelp {
			t.Errorf("ferry help %s is not ferry %s --help:\n%s", sub, sub, topic)
		}
	}
	// Long flags are listed with two dashes, short ssh-style ones kept.
	out := check([]string{"cp", "--help"}, "ferry cp")
	for _, want := range []string{"--newer", "-r, --recursive", "-j, --jobs", "-n, --no-clobber", "-f, --force", "-F, --ssh-config", "-o, --option", "-P, --port"} {
		if !strings.Contains(out, want) {
			t.Errorf("cp --help does not list %q", want)
		}
	}
}

func TestCLIUsageErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args  []string
		first string // the first line of stderr
		help  string // where it points to
	}{
		{[]string{"lss", "acc:"}, `ferry: unknown command "lss" for "ferry"`, "Run 'ferry --help' for usage."},
		{[]string{"cp", "--bogus", "a", "b"}, "ferry cp: unknown flag: --bogus", "Run 'ferry cp --help' for usage."},
		{[]string{"cp", "-newer", "a", "b"}, "ferry cp: unknown shorthand flag: 'e' in -ewer (long flags take two dashes: --newer)", "Run 'ferry cp --help'"},
		{[]string{"-Z"}, "ferry: unknown shorthand flag: 'Z' in -Z", "Run 'ferry --help'"},
		{[]string{"cp", "onlyone"}, "ferry cp: missing operand: usage: ferry cp [flags] SRC... DST", "Run 'ferry cp --help'"},
		{[]string{"ls", "a:", "b:"}, "ferry ls: too many operands", "Run 'ferry ls --help'"},
		{[]string{"resolve"}, "ferry resolve: missing operand", "Run 'ferry resolve --help'"},
		{[]string{"ls", "-P", "notaport", "a:"}, `ferry ls: invalid argument "notaport" for "-P, --port"`, "Run 'ferry ls --help'"},
	}
	for _, c := range cases {
		code, out, errs := cliRun(t, c.args...)
		first, rest, _ := strings.Cut(errs, "\n")
		if code != exitUsage || out != "" || !strings.HasPrefix(first, c.first) || !strings.Contains(rest, c.help) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, first line %q then %q", c.args, code, out, errs, c.first, c.help)
		}
		if n := strings.Count(errs, "\n"); n > 3 {
			t.Errorf("%q: %d lines of error, want a short report:\n%s", c.args, n, errs)
		}
	}
	// A close miss is named.
	if _, _, errs := cliRun(t, "lss", "acc:"); !strings.Contains(errs, "Did you mean ls") {
		t.Errorf("lss: no suggestion in %q", errs)
	}
}

func TestCLIVersion(t *testing.T) {
	t.Parallel()
	want := "ferry " + version() + "\n"
	for _, args := range [][]string{{"-V"}, {"--version"}, {"version"}} {
		code, out, errs := cliRun(t, args...)
		if code != exitOK || out != want || errs != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %q", args, code, out, errs, want)
		}
	}
}

func TestCLIFlagsBeforeOrAfterSubcommand(t *testing.T) {
	t.Parallel()
	cfg := cliConfig(t)
	keys := t.TempDir()
	k1, k2 := filepath.Join(keys, "k1"), filepath.Join(keys, "k2")
	for _, k := range []string{k1, k2} {
		if err := os.WriteFile(k, []byte("key"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// resolve shows what the flags did.
	for _, args := range [][]string{
		{"-F", cfg, "resolve", "acc"},
		{"resolve", "acc", "-F", cfg},
		{"resolve", "-F", cfg, "acc"},
		{"--ssh-config=" + cfg, "resolve", "acc"},
		{"-F", cfg, "-P", "2222", "-o", "Ciphers=aes128-ctr,aes256-ctr", "resolve", "-i", k1, "--identity", k2, "acc"},
	} {
		code, out, errs := cliRun(t, args...)
		if code != exitOK || !strings.Contains(out, "hostname 127.0.0.1\n") {
			t.Errorf("%q: exit %d, stderr %q, stdout %q", args, code, errs, out)
			continue
		}
		if !strings.Contains(strings.Join(args, " "), "-P") {
			continue
		}
		for _, want := range []string{"port 2222\n", "ciphers aes128-ctr,aes256-ctr\n", "identityfile " + k1 + "\n", "identityfile " + k2 + "\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("%q: no %q in\n%s", args, want, out)
			}
		}
	}
	// A subcommand after the shared flags runs: ls reaches acc through
	// the config (a closed port: exit 255), cp sees its own operands.
	for _, args := range [][]string{{"-F", cfg, "ls", "acc:"}, {"ls", "acc:", "-F", cfg}, {"-v", "-F", cfg, "ls", "-l", "acc:"}} {
		code, _, errs := cliRun(t, args...)
		if code != exitConnFail || !strings.Contains(errs, "127.0.0.1:1") {
			t.Errorf("%q: exit %d, stderr %q; want 255 from connecting to acc", args, code, errs)
		}
	}
	if code, _, errs := cliRun(t, "-F", cfg, "cp", "onlyone"); code != exitUsage || !strings.HasPrefix(errs, "ferry cp: missing operand") {
		t.Errorf("-F cfg cp onlyone: exit %d, stderr %q; want cp's own usage error", code, errs)
	}
	// HOST with flags either side, and a host named like a subcommand,
	// reach the UI (which, without a terminal, refuses with exit 1).
	for _, args := range [][]string{{"-F", cfg, "acc"}, {"acc", "-F", cfg}, {"-F", cfg, "--", "cp"}, {"-F", cfg, "open", "cp"}, {"open", "-F", cfg}, {}} {
		code, _, errs := cliRun(t, args...)
		if code != exitFailed || !strings.Contains(errs, "needs a terminal") {
			t.Errorf("%q: exit %d, stderr %q; want the UI's terminal check", args, code, errs)
		}
	}
}

func TestCLICompletionScripts(t *testing.T) {
	t.Parallel()
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, out, errs := cliRun(t, "completion", shell)
		if code != exitOK || errs != "" || len(out) < 200 || !strings.Contains(out, "ferry") || !strings.Contains(out, "__complete") {
			t.Errorf("completion %s: exit %d, stderr %q, %d bytes", shell, code, errs, len(out))
		}
	}
	for _, args := range [][]string{{"completion", "tcsh"}, {"completion"}} {
		if code, out, errs := cliRun(t, args...); code != exitUsage || out != "" || !strings.HasPrefix(errs, "ferry completion: ") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want a usage error", args, code, out, errs)
		}
	}
}

// completions runs cobra's hidden __complete command and returns the
// offered words and the directive line.
func completions(t *testing.T, args ...string) ([]string, string) {
	t.Helper()
	code, out, errs := cliRun(t, append([]string{"__complete"}, args...)...)
	if code != exitOK {
		t.Fatalf("__complete %q: exit %d: %s", args, code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	return lines[:len(lines)-1], lines[len(lines)-1]
}

func TestCLICompleteHostsAndCommands(t *testing.T) {
	t.Parallel()
	cfg := cliConfig(t)
	has := func(got []string, want ...string) bool {
		t.Helper()
		for _, w := range want {
			found := false
			for _, g := range got {
				found = found || g == w || strings.HasPrefix(g, w+"\t")
			}
			if !found {
				return false
			}
		}
		return true
	}
	if got, dir := completions(t, "-F", cfg, ""); !has(got, "acc", "cp", "ls", "mv", "completion") || has(got, "web*") || dir != ":4" {
		t.Errorf("ferry <tab>: %q %s; want subcommands and hosts, no patterns, no files", got, dir)
	}
	if got, _ := completions(t, "open", "-F", cfg, "a"); !has(got, "acc") || has(got, "cp") {
		t.Errorf("open a<tab>: %q", got)
	}
	if got, dir := completions(t, "-F", cfg, "ls", ""); !has(got, "acc:", "cp:") || dir != ":6" {
		t.Errorf("ls <tab>: %q %s; want HOST: without a space", got, dir)
	}
	if got, _ := completions(t, "-F", cfg, "cp", "--", "ac"); !has(got, "acc:") {
		t.Errorf("cp ac<tab>: %q", got)
	}
	if got, _ := completions(t, "cp", "--"); !has(got, "--recursive", "--newer", "--ssh-config") {
		t.Errorf("cp --<tab>: %q", got)
	}
	if got, _ := completions(t, "-F", cfg, "ls", "-J", ""); !has(got, "acc") {
		t.Errorf("-J <tab>: %q", got)
	}
	// Local paths in the working directory: this package's sources.
	if got, _ := completions(t, "-F", cfg, "put", "cli_tes"); !has(got, "cli_test.go") {
		t.Errorf("put cli_tes<tab>: %q", got)
	}
}

func TestCLIManPages(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "man1")
	if code, out, errs := cliRun(t, "man", "--dir", dir); code != exitOK {
		t.Fatalf("man: exit %d: %s %s", code, out, errs)
	}
	for _, name := range []string{"ferry.1", "ferry-cp.1", "ferry-mv.1", "ferry-ls.1", "ferry-open.1", "ferry-completion-bash.1"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, want := range []string{".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", "--help"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s has no %q", name, want)
			}
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "ferry-cp.1")); err != nil || !strings.Contains(string(b), `.TH "FERRY-CP" "1"`) {
		t.Errorf("ferry-cp.1 is not titled FERRY-CP(1): %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ferry-man.1")); err == nil {
		t.Error("the hidden man command has a page of its own")
	}
	if code, out, _ := cliRun(t, "--help"); code != exitOK || strings.Contains(out, "  man ") {
		t.Error("man is listed in the help")
	}
}

// TestCLIBinary runs the built binary, so main's wiring (os.Args, exit
// status, streams) is what is checked.
func TestCLIBinary(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	cfg := cliConfig(t)
	cases := []struct {
		args       []string
		code       int
		out, errs  string // prefixes of stdout and stderr
		outIsEmpty bool
	}{
		{[]string{"--help"}, 0, "ferry: a dual-pane file manager", "", false},
		{[]string{"help", "cp"}, 0, "Copy files, scp-like", "", false},
		{[]string{"-V"}, 0, "ferry ", "", false},
		{[]string{"lss", "acc:"}, 2, "", `ferry: unknown command "lss" for "ferry"`, true},
		{[]string{"-F", cfg, "cp", "--nope", "a", "b"}, 2, "", "ferry cp: unknown flag: --nope", true},
		{[]string{"-F", cfg, "ls", "acc:"}, 255, "", "ferry: ", true},
		{[]string{"__complete", "-F", cfg, "open", "ac"}, 0, "acc\n:4\n", "", false},
	}
	for _, c := range cases {
		cmd := exec.Command(bin, c.args...)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.code || !strings.HasPrefix(out.String(), c.out) || !strings.HasPrefix(errb.String(), c.errs) || (c.outIsEmpty && out.Len() != 0) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d, %q, %q", c.args, code, out.String(), errb.String(), c.code, c.out, c.errs)
		}
	}
}
