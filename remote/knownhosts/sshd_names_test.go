package knownhosts

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote/prompt"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"golang.org/x/crypto/ssh"
	xknownhosts "golang.org/x/crypto/ssh/knownhosts"
)

// hkStartWithCert starts sshd with an Ed25519 host key and a host
// certificate for it, signed by ca for principals. The certificate needs
// the host key Start makes, and sshd reads it when it starts: sshd is
// restarted once it is written.
func hkStartWithCert(t *testing.T, ca ssh.Signer, principals ...string) *sshdtest.Server {
	t.Helper()
	certPath := filepath.Join(t.TempDir(), "ssh_host_ed25519_key-cert.pub")
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519), sshdtest.WithConfig("HostCertificate "+certPath))
	cert := &ssh.Certificate{
		Key:             s.HostKeys.Ed25519,
		Serial:          1,
		CertType:        ssh.HostCert,
		KeyId:           "ferry test host",
		ValidPrincipals: principals,
		ValidAfter:      uint64(time.Now().Add(-time.Hour).Unix()),
		ValidBefore:     uint64(time.Now().Add(time.Hour).Unix()),
	}
	if err := cert.SignCert(rand.Reader, ca); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certPath, ssh.MarshalAuthorizedKey(cert), 0o644); err != nil {
		t.Fatal(err)
	}
	s.Restart(t, false)
	return s
}

func TestSSHDHostKeyCertAuthority(t *testing.T) {
	t.Parallel()
	ca := hkSigner(t)
	s := hkStartWithCert(t, ca, "127.0.0.1")
	caText := hkKeyText(ca.PublicKey())
	name := "[127.0.0.1]:" + strconv.Itoa(s.Port)

	path := hkWrite(t, "@cert-authority * "+caText)
	key, err := hkDial(t, s, New(nil), hkHost(s, path, "yes"), hkOpts{})
	if err != nil {
		t.Fatalf("host certificate from a listed CA: %v", err)
	}
	if _, ok := key.(*ssh.Certificate); !ok {
		t.Fatalf("server presented %s, want its certificate", key.Type())
	}
	if got, out := hkOpenSSH(t, s, path); got != "" && got != "ok" {
		t.Errorf("OpenSSH: %s\n%s", got, out)
	}
	_, algos, err := New(nil).Verifier(context.Background(), hkHost(s, path, "yes"), s.Addr)
	if err != nil || !strings.HasSuffix(algos[0], certSuffix) {
		t.Errorf("HostKeyAlgorithms = %v, %v; want certificates first", algos, err)
	}

	// accept-new accepts it too, and has nothing to write.
	if _, err := hkDial(t, s, New(nil), hkHost(s, path, "accept-new"), hkOpts{}); err != nil {
		t.Fatal(err)
	}
	if got := hkRead(t, path); got != "@cert-authority * "+caText+"\n" {
		t.Errorf("known_hosts = %q", got)
	}

	cases := []struct {
		lines []string
		alias string
		want  string
	}{
		{lines: []string{"@cert-authority 127.0.0.1 " + caText}, want: "ok"}, // the bare name, as OpenSSH
		{lines: []string{"@cert-authority *.example.com " + caText}, want: "unknown"},
		{lines: []string{"@cert-authority * " + hkKeyText(hkSigner(t).PublicKey())}, want: "unknown"},
		{lines: []string{"@cert-authority * " + caText, "@revoked * " + caText}, want: "revoked"},
		{lines: []string{"@cert-authority * " + caText, "@revoked * " + hkKeyText(s.HostKeys.Ed25519)}, want: "revoked"},
		// A certificate not issued for the name is judged by its key.
		{lines: []string{"@cert-authority * " + caText}, alias: "db.example", want: "unknown"},
		{lines: []string{"@cert-authority * " + caText, "db.example " + hkKeyText(s.HostKeys.Ed25519)}, alias: "db.example", want: "ok"},
		{lines: []string{"@cert-authority *.example.com " + caText, name + " " + hkKeyText(s.HostKeys.Ed25519)}, want: "ok"},
	}
	paths := make([]string, len(cases))
	for i, tc := range cases {
		paths[i] = hkWrite(t, tc.lines...)
	}
	hkEach(len(cases), func(i int) {
		tc, path := cases[i], paths[i]
		h := hkHost(s, path, "yes")
		h.HostKeyAlias = tc.alias
		p := &hkPrompter{}
		_, err := hkDial(t, s, New(p), h, hkOpts{})
		if got := hkOutcome(err); got != tc.want {
			t.Errorf("%q alias %q: %s, want %s", tc.lines, tc.alias, got, tc.want)
		}
		var extra []string
		if tc.alias != "" {
			extra = []string{"-o", "HostKeyAlias=" + tc.alias}
			if !slices.ContainsFunc(p.warned(), func(w string) bool { return strings.Contains(w, "principal") }) {
				t.Errorf("alias %q: no warning about the principal: %q", tc.alias, p.warned())
			}
		}
		if got, out := hkOpenSSH(t, s, path, extra...); got != "" && got != tc.want {
			t.Errorf("%q alias %q: OpenSSH says %s, the test wants %s\n%s", tc.lines, tc.alias, got, tc.want, out)
		}
	})
}

func TestSSHDHostKeyAlias(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	key := hkKeyText(s.HostKeys.Ed25519)
	withAlias := func(path, strict, alias string) config.Host {
		h := hkHost(s, path, strict)
		h.HostKeyAlias = alias
		return h
	}

	path := hkWrite(t, "myalias "+key)
	if _, err := hkDial(t, s, New(nil), withAlias(path, "yes", "MyAlias"), hkOpts{}); err != nil {
		t.Fatalf("known by its alias: %v", err)
	}
	path = hkWrite(t, xknownhosts.HashHostname("myalias")+" "+key)
	if _, err := hkDial(t, s, New(nil), withAlias(path, "yes", "MyAlias"), hkOpts{}); err != nil {
		t.Fatalf("known by its hashed alias: %v", err)
	}
	if got, out := hkOpenSSH(t, s, path, "-o", "HostKeyAlias=MyAlias"); got != "" && got != "ok" {
		t.Errorf("OpenSSH: %s\n%s", got, out)
	}
	// With an alias, the address is not looked up at all.
	path = s.WriteKnownHosts(t)
	if _, err := hkDial(t, s, New(nil), withAlias(path, "yes", "MyAlias"), hkOpts{}); hkOutcome(err) != "unknown" {
		t.Fatalf("known by address only: %v, want unknown", err)
	}

	path = filepath.Join(t.TempDir(), "known_hosts")
	p := &hkPrompter{answer: func(prompt.HostKeyQuestion) (bool, error) { return true, nil }}
	if _, err := hkDial(t, s, New(p), withAlias(path, "ask", "MyAlias"), hkOpts{}); err != nil {
		t.Fatal(err)
	}
	if q := p.asked(); len(q) != 1 || q[0].Host != "myalias" {
		t.Errorf("questions %+v, want one about myalias", q)
	}
	if got := hkRead(t, path); got != "myalias "+key+"\n" {
		t.Errorf("known_hosts = %q", got)
	}

	for _, alias := range []string{"two,names", "a b", "*", "x#y", "!neg", "line\nbreak"} {
		path := filepath.Join(t.TempDir(), "known_hosts")
		_, err := hkDial(t, s, New(nil), withAlias(path, "accept-new", alias), hkOpts{})
		var unknown *UnknownKeyError
		if !errors.As(err, &unknown) || unknown.Err == nil {
			t.Errorf("alias %q: %v, want the key refused", alias, err)
		}
		if got := hkRead(t, path); got != "<missing>" {
			t.Errorf("alias %q: known_hosts = %q", alias, got)
		}
	}
}

func TestSSHDHostKeyGlobalFile(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithHostKeyTypes(ssh.KeyAlgoED25519))
	user := filepath.Join(t.TempDir(), "known_hosts")
	global := s.WriteKnownHosts(t)
	h := hkHost(s, user, "yes")
	h.GlobalKnownHostsFiles = []string{filepath.Join(t.TempDir(), "missing"), global}
	if _, err := hkDial(t, s, New(nil), h, hkOpts{}); err != nil {
		t.Fatalf("known in the global file: %v", err)
	}

	global = hkWrite(t, "# global", "[127.0.0.1]:"+strconv.Itoa(s.Port)+" "+hkKeyText(hkStranger(t)))
	h.GlobalKnownHostsFiles = []string{global}
	h.StrictHostKeyChecking = "accept-new"
	_, err := hkDial(t, s, New(nil), h, hkOpts{})
	var changed *ChangedKeyError
	if !errors.As(err, &changed) || changed.File != global || changed.Line != 2 || changed.AddTo != user {
		t.Fatalf("changed in the global file: %v", err)
	}
	if got := hkRead(t, user); got != "<missing>" {
		t.Errorf("user file = %q", got)
	}

	h.GlobalKnownHostsFiles = []string{hkWrite(t, "web1 "+hkKeyText(hkStranger(t)))}
	before := hkRead(t, h.GlobalKnownHostsFiles[0])
	if _, err := hkDial(t, s, New(nil), h, hkOpts{}); err != nil {
		t.Fatal(err)
	}
	if got := hkRead(t, user); got != s.KnownHostsLine(s.HostKeys.Ed25519)+"\n" {
		t.Errorf("user file = %q", got)
	}
	if got := hkRead(t, h.GlobalKnownHostsFiles[0]); got != before {
		t.Errorf("global file written: %q", got)
	}
}
