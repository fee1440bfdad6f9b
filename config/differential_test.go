package config

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Pieces the differential test assembles random configurations from.
var (
	diffPatterns = []string{"a", "b", "a*", "?", "!a", "*", "*.x", "!b*", "b.x", "A"}
	diffLines    = []string{
		"User u1", "User u2", `User "q u"`, "Port 2200", "Port 2300", "HostName %h.x", "HostName h2",
		"HostName Big.X", "HostName 10.0.0.1", "IdentityFile ~/k1", "IdentityFile /k2",
		"IdentityFile %d/%u/%r@%h:%p-%n-%k-%C-%l-%L-%i", "CertificateFile %d/c",
		"ProxyJump j1", "ProxyJump none", "ProxyJump u@j2:22,j3", "ProxyJump 10.0.0.2,[::1]:2",
		"ProxyCommand nc %h %p", "ProxyCommand none", "ProxyCommand  ssh  -W %h:%p # c",
		"ConnectTimeout 5", "ConnectTimeout none", "ConnectTimeout 0", "ServerAliveInterval 1m",
		"ServerAliveCountMax 1", "UserKnownHostsFile ~/kh %d/kh2", "UserKnownHostsFile none",
		"GlobalKnownHostsFile /g ~/g2", "StrictHostKeyChecking accept-new", "StrictHostKeyChecking Off",
		"HostKeyAlias ka", "IdentitiesOnly yes", "BatchMode yes", "PasswordAuthentication no",
		"KbdInteractiveAuthentication no", "HashKnownHosts yes", "PreferredAuthentications publickey",
		"IdentityAgent ~/agent-%r", "IdentityAgent SSH_AUTH_SOCK", "Ciphers +aes128-cbc",
		"MACs -hmac-sha1*", "KexAlgorithms ^curve25519-sha256", "HostKeyAlgorithms -ssh-ed25519*",
		"Include ~/.ssh/conf.d/*.conf", "Include work.d/*",
	}
	diffDests = []string{"a", "b", "a1", "b.x", "A", "u@a", "sftp://z@b:2022/x", "c"}
	diffFlags = [][]string{
		nil, {"-o", "User=o"}, {"-P", "2999"}, {"-J", "jj"}, {"-o", "ProxyCommand=x %h"},
		{"-i", "testdata/keys/id_test"}, {"-o", "IdentityFile=/ko"},
	}
)

// TestDifferential compares ferry with ssh -G over randomly assembled
// configurations (fixed seed, so failures reproduce).
func TestDifferential(t *testing.T) {
	t.Parallel()
	ssh := findOpenSSH()
	if ssh.skip != "" {
		t.Skip(ssh.skip)
	}
	// 120 seeded configurations each run (the first 120 of the same
	// sequence every time); FERRY_DIFF_ITERATIONS asks for more.
	iterations := 120
	if n, err := strconv.Atoi(os.Getenv("FERRY_DIFF_ITERATIONS")); err == nil && n > 0 {
		iterations = n
	}
	if testing.Short() {
		iterations = 50
	}
	te := newTestEnv(t)
	r := rand.New(rand.NewSource(1))
	pick := func(list []string) string { return list[r.Intn(len(list))] }
	// The configurations come from the seeded generator one after the
	// other; ssh -G, a process each, runs for several at once.
	type diffCase struct {
		cfg, args string
		dest      Dest
		opts      Options
		theirs    map[string][]string
		sshErr    error
	}
	cases := make([]diffCase, iterations)
	for i := range cases {
		var b strings.Builder
		for n := r.Intn(4); n > 0; n-- {
			b.WriteString(pick(diffLines) + "\n")
		}
		for blocks := 1 + r.Intn(4); blocks > 0; blocks-- {
			b.WriteString("Host")
			for n := 1 + r.Intn(3); n > 0; n-- {
				b.WriteString(" " + pick(diffPatterns))
			}
			b.WriteString("\n")
			for n := r.Intn(5); n > 0; n-- {
				b.WriteString("  " + pick(diffLines) + "\n")
			}
		}
		cfg := filepath.Join(te.home, fmt.Sprintf("random-%d.conf", i))
		if err := os.WriteFile(cfg, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		args := append(slices.Clone(diffFlags[r.Intn(len(diffFlags))]), pick(diffDests))
		c := &cases[i]
		c.cfg, c.args, c.opts = b.String(), fmt.Sprintf("%q", args), te.options(cfg)
		c.dest = parseCommandLine(t, args, &c.opts)
	}
	var wg sync.WaitGroup
	slots := make(chan struct{}, 4)
	for i := range cases {
		c := &cases[i]
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			c.theirs, c.sshErr = te.runSSHG(ssh, c.dest, c.opts)
		})
	}
	wg.Wait()
	failures := 0
	for i := 0; i < len(cases) && failures < 5; i++ {
		c := &cases[i]
		ours, err := ferryG(t, c.dest, c.opts)
		if (err != nil) != (c.sshErr != nil) {
			t.Errorf("%s with\n%s: ferry error %v, ssh error %v", c.args, c.cfg, err, c.sshErr)
			failures++
			continue
		}
		if err != nil {
			continue
		}
		for _, k := range gKeywords {
			if !slices.Equal(ours[k], c.theirs[k]) {
				t.Errorf("%s with\n%s: %s: ferry %q, ssh -G %q", c.args, c.cfg, k, ours[k], c.theirs[k])
				failures++
				break
			}
		}
	}
}
