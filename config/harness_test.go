package config

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// gKeywords are the ssh -G keywords compared with OpenSSH: everything
// WriteG prints.
var gKeywords = []string{
	"host", "user", "hostname", "port", "batchmode", "hashknownhosts", "identitiesonly",
	"kbdinteractiveauthentication", "passwordauthentication", "stricthostkeychecking",
	"serveralivecountmax", "serveraliveinterval", "ciphers", "hostkeyalgorithms",
	"hostkeyalias", "identityagent", "kexalgorithms", "macs", "preferredauthentications",
	"identityfile", "certificatefile", "globalknownhostsfile", "userknownhostsfile",
	"connecttimeout", "proxyjump", "proxycommand",
}

// testEnv is one test's fake home directory and local identity.
type testEnv struct {
	home     string // temporary HOME with testdata/home copied in
	pwHome   string // the password database's home, which ssh uses for ~ and %d
	user     string
	hostname string
	uid      string
	env      map[string]string
}

// newTestEnv copies testdata/home into a temporary home directory,
// replacing @HOME@ in every file, with the permissions ssh insists on.
func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	u, err := user.Current()
	if err != nil {
		t.Fatalf("current user: %v", err)
	}
	hostname, err := os.Hostname()
	if err != nil {
		t.Fatalf("hostname: %v", err)
	}
	home := t.TempDir()
	te := &testEnv{home: home, pwHome: u.HomeDir, user: u.Username, hostname: hostname, uid: u.Uid}
	te.env = map[string]string{
		"HOME":            home,
		"FERRY_TEST_DIR":  filepath.Join(home, "envdir"),
		"FERRY_TEST_NAME": "envname",
	}
	err = filepath.WalkDir("testdata/home", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("testdata/home", path)
		dst := filepath.Join(home, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o700)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, te.subst(data), 0o600)
	})
	if err != nil {
		t.Fatalf("copy testdata/home: %v", err)
	}
	return te
}

// subst replaces @HOME@ with the temporary home directory.
func (te *testEnv) subst(b []byte) []byte {
	return bytes.ReplaceAll(b, []byte("@HOME@"), []byte(te.home))
}

// install copies a testdata file into the home directory and returns its path.
func (te *testEnv) install(t *testing.T, src string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(te.home, filepath.Base(src))
	if err := os.WriteFile(dst, te.subst(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

// options returns the Options ferry's CLI would build for -F cfg.
func (te *testEnv) options(cfg string) Options {
	return Options{
		UserConfig:         cfg,
		UserConfigRequired: true,
		Home:               te.home,
		LocalUser:          te.user,
		LocalHostname:      te.hostname,
		UID:                te.uid,
		Getenv:             func(k string) string { return te.env[k] },
	}
}

// sshEnv is the environment ssh -G runs with: never the real HOME.
func (te *testEnv) sshEnv() []string {
	env := []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range te.env {
		env = append(env, k+"="+v)
	}
	return env
}

// parseCommandLine turns "[-o X] [-i X] [-J X] [-P N] DEST" into Options
// fields and a destination.
func parseCommandLine(t *testing.T, args []string, opts *Options) Dest {
	t.Helper()
	for len(args) > 1 {
		flag, val := args[0], args[1]
		switch flag {
		case "-o":
			opts.Overrides = append(opts.Overrides, val)
		case "-i":
			opts.Identities = append(opts.Identities, val)
		case "-J":
			opts.Jump = val
		case "-P":
			p, err := strconv.Atoi(val)
			if err != nil {
				t.Fatalf("bad -P %q", val)
			}
			opts.Port = p
		default:
			t.Fatalf("unknown flag %q", flag)
		}
		args = args[2:]
	}
	if len(args) != 1 {
		t.Fatalf("want one destination, got %q", args)
	}
	d, err := ParseDestination(args[0])
	if err != nil {
		t.Fatalf("ParseDestination(%q): %v", args[0], err)
	}
	return d
}

// gLines parses "keyword value" lines into values per keyword.
func gLines(out []byte) map[string][]string {
	m := make(map[string][]string)
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), " ")
		m[k] = append(m[k], v)
	}
	return m
}

// ferryG resolves and prints a destination with ferry.
func ferryG(t *testing.T, dest Dest, opts Options) (map[string][]string, error) {
	t.Helper()
	h, err := Resolve(dest, opts)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := h.WriteG(&buf); err != nil {
		t.Fatalf("WriteG: %v", err)
	}
	return gLines(buf.Bytes()), nil
}

// openSSH describes the ssh binary used for comparisons.
type openSSH struct {
	path string
	skip string // why comparisons are skipped, if they are
}

// findOpenSSH locates ssh for comparisons. Defaults (the identity file list,
// algorithm lists, tokens) are OpenSSH 9.2's, so other versions are skipped.
func findOpenSSH() openSSH {
	path, err := exec.LookPath("ssh")
	if err != nil {
		return openSSH{skip: "ssh not on PATH: comparison with ssh -G skipped"}
	}
	out, _ := exec.Command(path, "-V").CombinedOutput()
	if !bytes.HasPrefix(out, []byte("OpenSSH_9.2")) {
		return openSSH{path: path, skip: "ssh is " + strings.TrimSpace(string(out)) + ", not OpenSSH 9.2 whose defaults ferry models: comparison skipped"}
	}
	return openSSH{path: path}
}

// sshG runs ssh -G for the same destination and options, with HOME set to
// the test's home, and normalises the password-database home directory
// (which ssh uses for ~ and %d) to that home.
func (te *testEnv) sshG(t *testing.T, ssh openSSH, dest Dest, opts Options) (map[string][]string, error) {
	t.Helper()
	return te.runSSHG(ssh, dest, opts)
}

// runSSHG is sshG for any goroutine: it reports nothing on a test.
func (te *testEnv) runSSHG(ssh openSSH, dest Dest, opts Options) (map[string][]string, error) {
	cmd := exec.Command(ssh.path, sshGArgs(dest, &opts)...)
	cmd.Env = te.sshEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, &sshError{err: err, stderr: stderr.String()}
	}
	return te.normalizeHome(gLines(out)), nil
}

// normalizeHome rewrites paths under the password database's home, which
// ssh uses for ~ and %d, to the test's home directory.
func (te *testEnv) normalizeHome(m map[string][]string) map[string][]string {
	pw := strings.TrimRight(te.pwHome, "/")
	for k, vals := range m {
		for i, v := range vals {
			fields := strings.Split(v, " ")
			for j, f := range fields {
				if f == te.pwHome || strings.HasPrefix(f, pw+"/") {
					fields[j] = te.home + f[len(pw):]
				}
			}
			m[k][i] = strings.Join(fields, " ")
		}
	}
	return m
}

type sshError struct {
	err    error
	stderr string
}

func (e *sshError) Error() string { return e.err.Error() + ": " + e.stderr }

// compareG reports every keyword whose values differ.
func compareG(t *testing.T, what string, ferry, ssh map[string][]string) {
	t.Helper()
	for _, k := range gKeywords {
		if !slices.Equal(ferry[k], ssh[k]) {
			t.Errorf("%s: %s:\n  ferry:  %q\n  ssh -G: %q", what, k, ferry[k], ssh[k])
		}
	}
}
