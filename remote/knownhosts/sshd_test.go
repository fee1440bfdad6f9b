package knownhosts

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ferry-tui/ferry/remote/prompt"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"golang.org/x/crypto/ssh"
	xknownhosts "golang.org/x/crypto/ssh/knownhosts"
)

func TestSSHDHostKeyKnownEd25519Only(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t) // offers Ed25519 and ECDSA
	path := s.WriteKnownHosts(t, s.HostKeys.Ed25519)
	before := hkRead(t, path)
	p := &hkPrompter{}
	k := New(p)
	for _, strict := range []string{"yes", "ask", "accept-new", "no"} {
		key, err := hkDial(t, s, k, hkHost(s, path, strict), hkOpts{})
		if err != nil {
			t.Fatalf("StrictHostKeyChecking %s: %v", strict, err)
		}
		if key.Type() != ssh.KeyAlgoED25519 {
			t.Errorf("StrictHostKeyChecking %s: server presented %s, want the known ssh-ed25519", strict, key.Type())
		}
	}
	if got := hkRead(t, path); got != before {
		t.Errorf("known_hosts changed:\n%s", got)
	}
	if q := p.asked(); len(q) != 0 {
		t.Errorf("asked %v about a known key", q)
	}

	_, algos, err := k.Verifier(context.Background(), hkHost(s, path, "yes"), s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	if len(algos) < 3 || algos[0] != ssh.CertAlgoED25519v01 || algos[1] != ssh.KeyAlgoED25519 ||
		!slices.Contains(algos, ssh.KeyAlgoECDSA256) {
		t.Errorf("HostKeyAlgorithms = %v, want the Ed25519 ones first and ECDSA still offered", algos)
	}

	// The control: with x/crypto's default order the server's ECDSA key is
	// negotiated, and it is rightly a changed key, as ssh reports it when
	// asked for ECDSA.
	_, err = hkDial(t, s, k, hkHost(s, path, "yes"), hkOpts{algos: func([]string) []string { return nil }})
	var changed *ChangedKeyError
	if !errors.As(err, &changed) || changed.KeyType != ssh.KeyAlgoECDSA256 || changed.KnownKeyType != ssh.KeyAlgoED25519 {
		t.Fatalf("dial with x/crypto's default algorithms: %v, want a changed ECDSA key", err)
	}
	if got, _ := hkOpenSSH(t, s, path, "-o", "HostKeyAlgorithms=ecdsa-sha2-nistp256"); got != "" && got != "changed" {
		t.Errorf("ssh asking for ECDSA: %s, want changed", got)
	}
	if got, out := hkOpenSSH(t, s, path); got != "" && got != "ok" {
		t.Errorf("ssh with its default algorithms: %s\n%s", got, out)
	}

	// Known by ECDSA only: OpenSSH's default order prefers Ed25519, so
	// only the reordering gets the known key.
	path = s.WriteKnownHosts(t, s.HostKeys.ECDSA)
	key, err := hkDial(t, s, k, hkHost(s, path, "yes"), hkOpts{})
	if err != nil || key.Type() != ssh.KeyAlgoECDSA256 {
		t.Fatalf("known by ECDSA only: %v (server presented %v)", err, key)
	}
	if got, out := hkOpenSSH(t, s, path); got != "" && got != "ok" {
		t.Errorf("ssh, known by ECDSA only: %s\n%s", got, out)
	}
}

func TestSSHDHostKeyHashedEntry(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	name := "[127.0.0.1]:" + strconv.Itoa(s.Port)
	other := "[127.0.0.1]:" + strconv.Itoa(s.Port+1)
	key := hkKeyText(s.HostKeys.Ed25519)
	k := New(&hkPrompter{})

	path := hkWrite(t, xknownhosts.HashHostname(other)+" "+key, xknownhosts.HashHostname(name)+" "+key)
	if _, err := hkDial(t, s, k, hkHost(s, path, "yes"), hkOpts{}); err != nil {
		t.Fatalf("hashed entry for %s: %v", name, err)
	}

	path = hkWrite(t, xknownhosts.HashHostname(other)+" "+key)
	if _, err := hkDial(t, s, k, hkHost(s, path, "yes"), hkOpts{}); hkOutcome(err) != "unknown" {
		t.Fatalf("hashed entry for another port only: %v, want unknown", err)
	}

	path = hkWrite(t, "# hashed", xknownhosts.HashHostname(name)+" "+hkKeyText(hkStranger(t)))
	_, err := hkDial(t, s, k, hkHost(s, path, "yes"), hkOpts{})
	var changed *ChangedKeyError
	if !errors.As(err, &changed) || changed.File != path || changed.Line != 2 || changed.Host != name {
		t.Fatalf("hashed entry with another key: %v, want changed at %s:2", err, path)
	}
}

func TestSSHDHostKeyPatternsLikeOpenSSH(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	port := strconv.Itoa(s.Port)
	key := hkKeyText(s.HostKeys.Ed25519)
	stranger := hkKeyText(hkStranger(t))
	cases := []struct {
		line, want string
	}{
		{"[127.0.0.1]:" + port + " " + key, "ok"},
		{"127.0.0.1 " + key, "ok"}, // OpenSSH retries without the port
		{xknownhosts.HashHostname("127.0.0.1") + " " + key, "ok"},
		{"[127.0.0.*]:" + port + " " + key, "ok"},
		{"[127.0.0.?]:" + port + " " + key, "ok"},
		{"[127.0.0.1]:* " + key, "ok"},
		{"127.0.0.* " + key, "ok"},
		{"* " + key, "ok"},
		{"web1,[127.0.0.1]:" + port + " " + key, "ok"},
		{"!127.0.0.1,* " + key, "ok"},
		{"![127.0.0.1]:" + port + ",* " + key, "ok"}, // negated, but the bare name matches *
		{"![127.0.0.1]:" + port + ",!127.0.0.1,* " + key, "unknown"},
		{"[127.0.0.1]:" + strconv.Itoa(s.Port+1) + " " + key, "unknown"},
		{"127.0.0.2 " + key, "unknown"},
		{"[127.0.0.1]:" + port + " " + stranger, "changed"},
		{"* " + stranger, "changed"},
		{"127.0.0.1 " + stranger, "unknown"}, // the bare name is checked quietly
		{"@revoked * " + key + "\n[127.0.0.1]:" + port + " " + key, "revoked"},
		{"@revoked web1 " + key + "\n[127.0.0.1]:" + port + " " + key, "ok"}, // not for this host
	}
	paths := make([]string, len(cases))
	for i, tc := range cases {
		paths[i] = hkWrite(t, tc.line)
	}
	hkEach(len(cases), func(i int) {
		tc, path := cases[i], paths[i]
		k := New(&hkPrompter{})
		_, err := hkDial(t, s, k, hkHost(s, path, "yes"), hkOpts{})
		if got := hkOutcome(err); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.line, got, tc.want)
		}
		if got, out := hkOpenSSH(t, s, path); got != "" && got != tc.want {
			t.Errorf("%q: OpenSSH says %s, the test wants %s\n%s", tc.line, got, tc.want, out)
		}
	})
}

func TestSSHDHostKeyChangedRefusedInEveryMode(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519),
		sshdtest.WithConfig("PasswordAuthentication yes", "KbdInteractiveAuthentication yes"))
	name := "[127.0.0.1]:" + strconv.Itoa(s.Port)
	path := hkWrite(t,
		"# ferry test",
		"web1 "+hkKeyText(hkStranger(t)),
		name+" "+hkKeyText(hkStranger(t)),
	)
	before := hkRead(t, path)
	fp := ssh.FingerprintSHA256(s.HostKeys.Ed25519)

	var secrets atomic.Int32
	auth := []ssh.AuthMethod{
		ssh.PasswordCallback(func() (string, error) {
			secrets.Add(1)
			return "", errors.New("test: no password")
		}),
		ssh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			secrets.Add(1)
			return nil, errors.New("test: no answers")
		}),
	}
	for _, strict := range []string{"yes", "ask", "accept-new", "no", "off"} {
		p := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return true, nil }}
		_, err := hkDial(t, s, New(p), hkHost(s, path, strict), hkOpts{auth: auth})
		var changed *ChangedKeyError
		if !errors.As(err, &changed) {
			t.Fatalf("StrictHostKeyChecking %s: %v, want a ChangedKeyError", strict, err)
		}
		if changed.Host != name || changed.KeyType != ssh.KeyAlgoED25519 || changed.Fingerprint != fp ||
			changed.File != path || changed.Line != 3 || changed.AddTo != path {
			t.Errorf("StrictHostKeyChecking %s: %+v", strict, *changed)
		}
		msg := err.Error()
		for _, want := range []string{
			"@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @",
			"The fingerprint for the ED25519 key sent by the remote host is\n" + fp + ".",
			fmt.Sprintf("Offending ED25519 key in %s:3", path),
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("StrictHostKeyChecking %s: message lacks %q:\n%s", strict, want, msg)
			}
		}
		if q := p.asked(); len(q) != 0 {
			t.Errorf("StrictHostKeyChecking %s: asked %v", strict, q)
		}
		if got := hkRead(t, path); got != before {
			t.Errorf("StrictHostKeyChecking %s: known_hosts changed:\n%s", strict, got)
		}
	}
	if n := secrets.Load(); n != 0 {
		t.Errorf("%d password or keyboard-interactive callbacks ran after a changed host key", n)
	}
	// Under yes, the message is ssh's, line for line.
	if got, out := hkOpenSSH(t, s, path); got != "" {
		_, err := hkDial(t, s, New(nil), hkHost(s, path, "yes"), hkOpts{auth: auth})
		var changed *ChangedKeyError
		out = strings.TrimSpace(strings.ReplaceAll(out, "\r\n", "\n"))
		if !errors.As(err, &changed) || out != changed.Error() {
			t.Errorf("ssh says:\n%s\nferry says:\n%s", out, changed.Error())
		}
	}
	// The control: with the right key known, the server does get to ask
	// for a password, so the check above can fail.
	good := s.WriteKnownHosts(t)
	if _, err := hkDial(t, s, New(nil), hkHost(s, good, "yes"), hkOpts{auth: auth}); err == nil {
		t.Fatal("password login succeeded with a callback that gives no password")
	}
	if secrets.Load() == 0 {
		t.Fatal("the control dial never asked for a password: the test above proves nothing")
	}
}

func TestSSHDHostKeyRevokedRefusedInEveryMode(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	name := "[127.0.0.1]:" + strconv.Itoa(s.Port)
	key := hkKeyText(s.HostKeys.Ed25519)
	path := hkWrite(t, name+" "+key, "@revoked * "+key)
	before := hkRead(t, path)
	for _, strict := range []string{"yes", "ask", "accept-new", "no", "off"} {
		p := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return true, nil }}
		_, err := hkDial(t, s, New(p), hkHost(s, path, strict), hkOpts{})
		var revoked *RevokedKeyError
		if !errors.As(err, &revoked) || revoked.File != path || revoked.Line != 2 || revoked.Host != name ||
			revoked.Fingerprint != ssh.FingerprintSHA256(s.HostKeys.Ed25519) {
			t.Fatalf("StrictHostKeyChecking %s: %v, want revoked by %s:2", strict, err, path)
		}
		if !strings.Contains(err.Error(), "WARNING: REVOKED HOST KEY DETECTED!") {
			t.Errorf("message: %s", err)
		}
		if len(p.asked()) != 0 || hkRead(t, path) != before {
			t.Errorf("StrictHostKeyChecking %s: asked %v; known_hosts now %q", strict, p.asked(), hkRead(t, path))
		}
	}
	// A revoked key that is otherwise unknown is not asked about either.
	path = hkWrite(t, "@revoked * "+key)
	p := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return true, nil }}
	if _, err := hkDial(t, s, New(p), hkHost(s, path, "ask"), hkOpts{}); hkOutcome(err) != "revoked" {
		t.Fatalf("revoked unknown key: %v", err)
	}
	if len(p.asked()) != 0 {
		t.Errorf("asked %v about a revoked key", p.asked())
	}
}

func TestSSHDHostKeyUnknownStrictYesWritesNothing(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	dir := filepath.Join(t.TempDir(), ".ssh")
	path := filepath.Join(dir, "known_hosts")
	p := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return true, nil }}
	_, err := hkDial(t, s, New(p), hkHost(s, path, "yes"), hkOpts{})
	var unknown *UnknownKeyError
	if !errors.As(err, &unknown) || unknown.Err != nil || unknown.KeyType != ssh.KeyAlgoED25519 ||
		unknown.Fingerprint != ssh.FingerprintSHA256(s.HostKeys.Ed25519) {
		t.Fatalf("dial: %v, want a UnknownKeyError", err)
	}
	want := fmt.Sprintf("No ED25519 host key is known for [127.0.0.1]:%d and you have requested strict checking.", s.Port)
	if !strings.Contains(err.Error(), want) {
		t.Errorf("message %q lacks %q", err, want)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s was created (%v)", dir, err)
	}
	if len(p.asked()) != 0 {
		t.Errorf("asked %v under StrictHostKeyChecking yes", p.asked())
	}

	path = hkWrite(t, "# nothing here", "web1 "+hkKeyText(hkStranger(t)))
	before := hkRead(t, path)
	if _, err := hkDial(t, s, New(p), hkHost(s, path, "yes"), hkOpts{}); hkOutcome(err) != "unknown" {
		t.Fatalf("dial: %v, want unknown", err)
	}
	if got := hkRead(t, path); got != before {
		t.Errorf("known_hosts changed:\n%s", got)
	}

	// Without a UserKnownHostsFile nothing can be recorded, so OpenSSH
	// refuses new keys in every mode.
	h := hkHost(s, path, "accept-new")
	h.UserKnownHostsFiles = nil
	if _, err := hkDial(t, s, New(p), h, hkOpts{}); !errors.Is(err, errNoUserFile) {
		t.Errorf("accept-new without a user file: %v", err)
	}
}
