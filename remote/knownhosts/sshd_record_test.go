package knownhosts

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/prompt"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"golang.org/x/crypto/ssh"
	xknownhosts "golang.org/x/crypto/ssh/knownhosts"
)

func TestSSHDHostKeyAcceptNewWritesOnce(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	want := s.KnownHostsLine(s.HostKeys.Ed25519) + "\n"
	for _, strict := range []string{"accept-new", "no", "off"} {
		dir := filepath.Join(t.TempDir(), "home", ".ssh")
		path := filepath.Join(dir, "known_hosts")
		p := &hkPrompter{}
		if _, err := hkDial(t, s, New(p), hkHost(s, path, strict), hkOpts{}); err != nil {
			t.Fatalf("%s: first dial: %v", strict, err)
		}
		if got := hkRead(t, path); got != want {
			t.Fatalf("%s: known_hosts = %q, want %q", strict, got, want)
		}
		if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %s: %v, mode %v, want 0700", strict, dir, err, fi.Mode().Perm())
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %s: %v, mode %v, want 0600", strict, path, err, fi.Mode().Perm())
		}
		addedMsg := fmt.Sprintf("Warning: Permanently added '[127.0.0.1]:%d' (ED25519) to the list of known hosts.", s.Port)
		if w := p.warned(); len(w) != 1 || w[0] != addedMsg {
			t.Errorf("%s: warnings %q, want %q", strict, w, addedMsg)
		}
		// A second connection, from another process as far as the
		// in-memory state goes, finds the key and writes nothing.
		if _, err := hkDial(t, s, New(p), hkHost(s, path, strict), hkOpts{}); err != nil {
			t.Fatalf("%s: second dial: %v", strict, err)
		}
		if _, err := hkDial(t, s, New(p), hkHost(s, path, "yes"), hkOpts{}); err != nil {
			t.Fatalf("%s: dial under yes after recording: %v", strict, err)
		}
		if got := hkRead(t, path); got != want {
			t.Errorf("%s: after more dials known_hosts = %q, want %q", strict, got, want)
		}
		if len(p.asked()) != 0 {
			t.Errorf("%s: asked %v", strict, p.asked())
		}
	}

	// The entry never joins a last line that lacks its newline.
	path := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(path, []byte("# no newline at the end"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := hkDial(t, s, New(nil), hkHost(s, path, "accept-new"), hkOpts{}); err != nil {
		t.Fatal(err)
	}
	if got := hkRead(t, path); got != "# no newline at the end\n"+want {
		t.Errorf("known_hosts = %q", got)
	}
}

func TestSSHDHostKeyAskRecordsYesRefusesNo(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	path := filepath.Join(t.TempDir(), "known_hosts")
	wantQ := prompt.HostKeyQuestion{
		Host:        "[127.0.0.1]:" + strconv.Itoa(s.Port),
		KeyType:     ssh.KeyAlgoED25519,
		Fingerprint: ssh.FingerprintSHA256(s.HostKeys.Ed25519),
	}

	no := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return false, nil }}
	_, err := hkDial(t, s, New(no), hkHost(s, path, "ask"), hkOpts{})
	if !errors.Is(err, ErrDeclined) || hkOutcome(err) != "unknown" {
		t.Fatalf("answer no: %v", err)
	}
	if q := no.asked(); len(q) != 1 || q[0] != wantQ {
		t.Fatalf("questions %+v, want one %+v", q, wantQ)
	}
	if got := hkRead(t, path); got != "<missing>" {
		t.Fatalf("known_hosts after no: %q", got)
	}

	cannot := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return false, prompt.ErrNoPrompt }}
	if _, err := hkDial(t, s, New(cannot), hkHost(s, path, ""), hkOpts{}); !errors.Is(err, prompt.ErrNoPrompt) {
		t.Fatalf("prompter that cannot ask (default mode): %v", err)
	}
	batch := hkHost(s, path, "ask")
	batch.BatchMode = true
	yes := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return true, nil }}
	if _, err := hkDial(t, s, New(yes), batch, hkOpts{}); !errors.Is(err, prompt.ErrNoPrompt) || len(yes.asked()) != 0 {
		t.Fatalf("BatchMode: %v, asked %v", err, yes.asked())
	}
	if got := hkRead(t, path); got != "<missing>" {
		t.Fatalf("known_hosts: %q", got)
	}

	k := New(yes)
	if _, err := hkDial(t, s, k, hkHost(s, path, "ask"), hkOpts{}); err != nil {
		t.Fatalf("answer yes: %v", err)
	}
	if q := yes.asked(); len(q) != 1 || q[0] != wantQ {
		t.Fatalf("questions %+v, want one %+v", q, wantQ)
	}
	if got, want := hkRead(t, path), s.KnownHostsLine(s.HostKeys.Ed25519)+"\n"; got != want {
		t.Fatalf("known_hosts = %q, want %q", got, want)
	}
	if _, err := hkDial(t, s, New(yes), hkHost(s, path, "ask"), hkOpts{}); err != nil {
		t.Fatalf("dial after yes: %v", err)
	}
	if q := yes.asked(); len(q) != 1 {
		t.Errorf("asked again about a recorded key: %+v", q)
	}

	// A key accepted but not recorded (the write failed) lets the
	// connection go ahead, as in ssh, and is not asked about again by the
	// same process.
	blocker := filepath.Join(t.TempDir(), "not-a-directory")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	unwritable := filepath.Join(blocker, "known_hosts")
	again := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return true, nil }}
	k = New(again)
	for range 2 {
		if _, err := hkDial(t, s, k, hkHost(s, unwritable, "ask"), hkOpts{}); err != nil {
			t.Fatalf("accepted key that cannot be recorded: %v", err)
		}
	}
	if q := again.asked(); len(q) != 1 {
		t.Errorf("asked %d times about a key accepted in this process, want once", len(q))
	}
	failed := "Failed to add the host to the list of known hosts (" + unwritable + ")"
	if !slices.ContainsFunc(again.warned(), func(w string) bool { return strings.HasPrefix(w, failed) }) {
		t.Errorf("warnings %q lack %q", again.warned(), failed)
	}
}

func TestSSHDHostKeyHashKnownHosts(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	path := filepath.Join(t.TempDir(), "known_hosts")
	h := hkHost(s, path, "accept-new")
	h.HashKnownHosts = true
	if _, err := hkDial(t, s, New(nil), h, hkOpts{}); err != nil {
		t.Fatal(err)
	}
	content := hkRead(t, path)
	fields := strings.Fields(content)
	if strings.Count(content, "\n") != 1 || len(fields) != 3 || !strings.HasPrefix(fields[0], "|1|") ||
		strings.Contains(content, "127.0.0.1") || fields[1]+" "+fields[2] != hkKeyText(s.HostKeys.Ed25519) {
		t.Fatalf("known_hosts = %q, want one hashed line", content)
	}
	// x/crypto's independent implementation finds the entry...
	cb, err := xknownhosts.New(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := cb(s.Addr, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: s.Port}, s.HostKeys.Ed25519); err != nil {
		t.Errorf("x/crypto/ssh/knownhosts does not match the hashed entry: %v", err)
	}
	// ...and so does OpenSSH.
	if bin, err := exec.LookPath("ssh-keygen"); err == nil {
		out, err := exec.Command(bin, "-F", "[127.0.0.1]:"+strconv.Itoa(s.Port), "-f", path).CombinedOutput()
		if err != nil || !strings.Contains(string(out), fields[0]) {
			t.Errorf("ssh-keygen -F does not find the hashed entry: %v\n%s", err, out)
		}
	}
	h.StrictHostKeyChecking = "yes"
	if _, err := hkDial(t, s, New(nil), h, hkOpts{}); err != nil {
		t.Fatalf("next connection: %v", err)
	}
	if got := hkRead(t, path); got != content {
		t.Errorf("known_hosts changed to %q", got)
	}
}

func TestSSHDHostKeyMalformedLinesSkipped(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	name := "[127.0.0.1]:" + strconv.Itoa(s.Port)
	key := hkKeyText(s.HostKeys.Ed25519)
	path := hkWrite(t,
		"garbage",
		name+" ssh-ed25519 AAAA",
		"@bogus * "+key,
		"|1|c2FsdA==|aGFzaA== "+key,
		"# a comment",
		"",
		name+" "+key,
	)
	if _, err := xknownhosts.New(path); err == nil {
		t.Fatal("x/crypto/ssh/knownhosts accepts the file; the malformed lines test nothing")
	}
	p := &hkPrompter{}
	k := New(p)
	for range 2 {
		if _, err := hkDial(t, s, k, hkHost(s, path, "yes"), hkOpts{}); err != nil {
			t.Fatalf("dial: %v", err)
		}
	}
	w := p.warned()
	for _, line := range []int{1, 2, 3, 4} {
		loc := fmt.Sprintf("%s:%d:", path, line)
		if n := slices.IndexFunc(w, func(m string) bool { return strings.Contains(m, loc) }); n < 0 {
			t.Errorf("no warning names %s; warnings: %q", loc, w)
		}
	}
	if len(w) != 4 {
		t.Errorf("warnings %q, want one for each of the 4 bad lines, once", w)
	}

	// A bad line does not hide a changed key, nor shift its line number.
	path = hkWrite(t, "[127.0.0.1 broken", name+" "+hkKeyText(hkStranger(t)))
	_, err := hkDial(t, s, New(p), hkHost(s, path, "no"), hkOpts{})
	var changed *ChangedKeyError
	if !errors.As(err, &changed) || changed.Line != 2 {
		t.Fatalf("changed key after a bad line: %v", err)
	}
}

func TestSSHDHostKeyConcurrentDialsAskOnce(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	for _, answer := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "known_hosts")
		release := make(chan struct{})
		p := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) {
			<-release
			return answer, nil
		}}
		k := New(p)
		const n = 6
		var entered atomic.Int32
		errs := make(chan error, n)
		for range n {
			go func() {
				_, err := hkDial(t, s, k, hkHost(s, path, "ask"), hkOpts{before: func() { entered.Add(1) }})
				errs <- err
			}()
		}
		deadline := time.Now().Add(20 * time.Second)
		for entered.Load() < n && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if entered.Load() < n {
			t.Fatalf("only %d of %d handshakes reached the host key check", entered.Load(), n)
		}
		close(release)
		for range n {
			err := <-errs
			if answer && err != nil {
				t.Errorf("answer yes: %v", err)
			}
			if !answer && !errors.Is(err, ErrDeclined) {
				t.Errorf("answer no: %v", err)
			}
		}
		if q := p.asked(); len(q) != 1 {
			t.Errorf("answer %v: asked %d times, want once", answer, len(q))
		}
		want := "<missing>"
		if answer {
			want = s.KnownHostsLine(s.HostKeys.Ed25519) + "\n"
		}
		if got := hkRead(t, path); got != want {
			t.Errorf("answer %v: known_hosts = %q, want %q", answer, got, want)
		}
	}
}
