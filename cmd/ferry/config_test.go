package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/settings"
	"github.com/ferry-tui/ferry/tui/common"
)

// settingsApp is a test app whose settings file (in its home) says content.
func settingsApp(t *testing.T, content string) (*app, func() (string, string), string) {
	t.Helper()
	a, out, errb := testApp(t)
	p := filepath.Join(a.home, ".config", "ferry", "config.toml")
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return a, func() (string, string) { return out.String(), errb.String() }, p
}

func TestConfigPathAndDefaults(t *testing.T) {
	t.Parallel()
	a, out, errb := testApp(t)
	if code := run(context.Background(), a, []string{"config", "path"}); code != exitOK || out.String() != filepath.Join(a.home, ".config", "ferry", "config.toml")+"\n" {
		t.Errorf("config path: exit %d, %q, %q", code, out, errb)
	}
	out.Reset()
	if code := run(context.Background(), a, []string{"config", "defaults"}); code != exitOK {
		t.Fatalf("config defaults: exit %d: %s", code, errb)
	}
	def := out.String()
	for _, act := range common.Actions() {
		if !strings.Contains(def, "# "+act+" = [") {
			t.Errorf("config defaults does not list the action %s", act)
		}
	}
	// The [keys] part, uncommented, is the default key map: no conflicts.
	var keys strings.Builder
	in := false
	for _, l := range strings.Split(def, "\n") {
		if l == "# [keys]" {
			in = true
		}
		if in && strings.HasPrefix(l, "# ") && (strings.Contains(l, " = ") || l == "# [keys]") {
			keys.WriteString(strings.TrimPrefix(l, "# ") + "\n")
		}
		if in && l == "" {
			break
		}
	}
	st, err := settings.Parse("d.toml", []byte(keys.String()))
	if err == nil {
		_, err = uiPrefsFrom(&st)
	}
	if err != nil || len(st.Keys.Bind) != len(common.Actions()) {
		t.Errorf("the default file's keys: %v (%d bindings)\n%s", err, len(st.Keys.Bind), keys.String())
	}
}

// TestBadSettingsStopEveryCommand: a settings file with a mistake stops
// the UI and the headless commands before they connect, naming file and
// line; a key on two actions names both.
func TestBadSettingsStopEveryCommand(t *testing.T) {
	t.Parallel()
	cfg := cliConfig(t)
	for _, c := range []struct{ content, want string }{
		{"workers = 8\ncolour = \"red\"\n", `:2: unknown setting "colour"`},
		{"[keys]\ncopy = [\"f5\", \"c\"]\nmkdir = [\"f7\", \"c\"]\n", `:3: key "c" is bound to both copy and mkdir`},
		{"[keys]\n\nteleport = \"t\"\n", `:3: keys: unknown action "teleport"`},
		{"[colors]\nglow = \"#fff\"\n", `:2: colors: unknown colour "glow"`},
	} {
		for _, args := range [][]string{{"ls", "-F", cfg, "acc:"}, {"cp", "-F", cfg, "acc:x", "."}, {"-F", cfg, "acc"}} {
			a, output, p := settingsApp(t, c.content)
			a.uiTerminal = func() bool { return true }
			code := run(context.Background(), a, args)
			_, errs := output()
			if code != exitFailed || !strings.Contains(errs, p+c.want) {
				t.Errorf("%q with %q: exit %d, stderr %q; want exit 1 and %q", args, c.content, code, errs, p+c.want)
			}
		}
	}
}

func TestUIPrefsFromSettings(t *testing.T) {
	t.Parallel()
	st, err := settings.Parse("c.toml", []byte("theme = \"light\"\n[colors]\naccent = \"#010203\"\n[keys]\npreset = \"vim\"\nquit = [\"Q\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := uiPrefsFrom(&st)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.keys.Keys("quit"); len(got) != 1 || got[0] != "Q" {
		t.Errorf("quit keys %v", got)
	}
	if got := p.keys.Keys("copy"); !strings.Contains(strings.Join(got, " "), "y") {
		t.Errorf("vim preset: copy keys %v", got)
	}
	th := p.themeFor(true) // the terminal says dark; the settings say light
	if want := common.NewTheme(false).Text; th.Text != want {
		t.Errorf("theme = light on a dark terminal: text %v, want %v", th.Text, want)
	}
	if th.Accent == common.NewTheme(false).Accent {
		t.Error("the accent override is lost")
	}
}

func TestLimitFlagUsage(t *testing.T) {
	t.Parallel()
	code, _, errs := cliRun(t, "put", "--limit", "fast", "a", "h:")
	if code != exitUsage || !strings.Contains(errs, "--limit") || !strings.Contains(errs, `"fast" is not a rate`) {
		t.Errorf("put --limit fast: exit %d, %q", code, errs)
	}
	code, _, errs = cliRun(t, "--limit", "x1", "acc")
	if code != exitUsage && code != exitFailed || !strings.Contains(errs, "--limit") && !strings.Contains(errs, "terminal") {
		t.Errorf("ferry --limit x1: exit %d, %q", code, errs)
	}
}

// TestSSHDLimitAndServerCommand: put --limit 256K of 512 KiB takes 2 s; the
// settings' [[host]] sftp_server runs for its host; --sftp-server with a
// command that fails says why.
func TestSSHDLimitAndServerCommand(t *testing.T) {
	t.Parallel()
	const server = "/usr/lib/openssh/sftp-server"
	if _, err := os.Stat(server); err != nil {
		t.Skipf("no %s", server)
	}
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	mark := filepath.Join(t.TempDir(), "runs")
	a, output, _ := settingsApp(t, "[[host]]\nmatch = \"other\"\nsftp_server = \"false\"\n\n[[host]]\nmatch = \"bo?\"\nsftp_server = \"sh -c 'echo run >> "+mark+"; exec "+server+" -d "+srv.Dir+"'\"\n")
	src := filepath.Join(t.TempDir(), "two")
	if err := os.WriteFile(src, make([]byte, 512<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	code := run(context.Background(), a, []string{"put", "--limit", "256K", "-F", cfg, src, "box:"})
	_, errs := output()
	if code != exitOK {
		t.Fatalf("put: exit %d: %s", code, errs)
	}
	// The summary's time is the transfer's, without connecting.
	m := regexp.MustCompile(`copied \(512K in ([0-9.]+m?s),`).FindStringSubmatch(errs)
	if m == nil {
		t.Fatalf("no summary: %q", errs)
	}
	if took, _ := time.ParseDuration(m[1]); took < 1800*time.Millisecond || took > 20*time.Second {
		t.Errorf("512 KiB at --limit 256K took %v, want about 2 s", took)
	}
	if fi, err := os.Stat(filepath.Join(srv.Dir, "two")); err != nil || fi.Size() != 512<<10 {
		t.Fatalf("uploaded: %v, %v", fi, err)
	}
	if runs, _ := os.ReadFile(mark); !strings.Contains(string(runs), "run") {
		t.Error("the host section's sftp_server did not run")
	}

	code, _, errs = ferry(t, "ls", "-F", cfg, "--sftp-server", "sh -c 'echo \"sudo: a password is required\" >&2; exit 1'", "box:")
	if code != exitConnFail || !strings.Contains(errs, "sudo: a password is required") || !strings.Contains(errs, "exit status 1") {
		t.Errorf("ls with a failing --sftp-server: exit %d, %q", code, errs)
	}
}
