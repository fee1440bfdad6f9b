package config

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// corpusCase is one destination to resolve against a corpus file, declared
// in the file's comments:
//
//	# case: [-o K=V] [-i FILE] [-J JUMPS] [-P PORT] DEST
//	# expect: keyword value     (ferry must print exactly these values for keyword;
//	#                           a keyword with no value must not be printed)
//	# error: text               (resolution must fail, mentioning text)
type corpusCase struct {
	line   int
	args   []string
	expect map[string][]string
	err    string
}

func (c corpusCase) String() string { return strings.Join(c.args, " ") }

// readCorpusCases extracts the cases declared in a corpus file.
func readCorpusCases(t *testing.T, data []byte) []corpusCase {
	t.Helper()
	var cases []corpusCase
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(text, "#") {
			continue
		}
		key, val, ok := strings.Cut(strings.TrimSpace(text[1:]), ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch key {
		case "case":
			args, err := splitArgs(val)
			if err != nil || len(args) == 0 {
				t.Fatalf("line %d: bad case %q", n, val)
			}
			cases = append(cases, corpusCase{line: n, args: args, expect: map[string][]string{}})
		case "expect", "error":
			if len(cases) == 0 {
				t.Fatalf("line %d: %s before any case", n, key)
			}
			c := &cases[len(cases)-1]
			if key == "error" {
				c.err = val
				continue
			}
			k, v, _ := strings.Cut(val, " ")
			if v == "" {
				c.expect[k] = []string{} // the keyword must not be printed
				continue
			}
			c.expect[k] = append(c.expect[k], v)
		}
	}
	return cases
}

// TestCorpus resolves every case of every testdata/corpus file with ferry,
// checks the expectations written in the file, and compares every keyword
// WriteG prints with what OpenSSH's ssh -G prints for the same file, flags and
// destination.
func TestCorpus(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/corpus/*.conf")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 25 {
		t.Fatalf("corpus has %d files, want at least 25", len(files))
	}
	ssh := findOpenSSH()
	if ssh.skip != "" {
		t.Log(ssh.skip)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".conf"), func(t *testing.T) {
			t.Parallel()
			te := newTestEnv(t)
			ssh := ssh
			if ssh.skip == "" && (te.pwHome == "" || te.pwHome == "/") {
				t.Logf("password database home is %q: comparison with ssh -G skipped", te.pwHome)
				ssh.skip = "bad home"
			}
			cfg := te.install(t, file)
			data, err := os.ReadFile(cfg)
			if err != nil {
				t.Fatal(err)
			}
			cases := readCorpusCases(t, data)
			if len(cases) == 0 {
				t.Fatalf("%s declares no cases", file)
			}
			for _, c := range cases {
				runCorpusCase(t, te, ssh, cfg, c)
			}
		})
	}
}

func runCorpusCase(t *testing.T, te *testEnv, ssh openSSH, cfg string, c corpusCase) {
	t.Helper()
	opts := te.options(cfg)
	dest := parseCommandLine(t, c.args, &opts)
	what := "case " + c.String()
	got, err := ferryG(t, dest, opts)
	switch {
	case c.err != "" && err == nil:
		t.Errorf("%s: resolved, want error containing %q", what, c.err)
	case c.err != "" && !strings.Contains(err.Error(), c.err):
		t.Errorf("%s: error %q, want it to contain %q", what, err, c.err)
	case c.err == "" && err != nil:
		t.Errorf("%s: %v", what, err)
		return
	}
	for k, want := range c.expect {
		if !slices.Equal(got[k], want) && len(got[k])+len(want) > 0 {
			t.Errorf("%s: %s = %q, want %q", what, k, got[k], want)
		}
	}
	if ssh.skip != "" {
		return
	}
	theirs, sshErr := te.sshG(t, ssh, dest, opts)
	switch {
	case c.err != "" && sshErr == nil:
		t.Errorf("%s: ssh -G succeeded where ferry fails", what)
	case c.err == "" && sshErr != nil:
		t.Errorf("%s: ssh -G: %v", what, sshErr)
	case c.err == "":
		compareG(t, what, got, theirs)
	}
}
