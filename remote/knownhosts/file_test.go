package knownhosts

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/config"
	"golang.org/x/crypto/ssh"
	xknownhosts "golang.org/x/crypto/ssh/knownhosts"
)

func TestHostKeyAlgorithmOrder(t *testing.T) {
	entries := func(lines ...string) []*entry {
		var out []*entry
		for _, l := range lines {
			e, err := parseLine(l)
			if err != nil || e == nil {
				t.Fatalf("%q: %v", l, err)
			}
			out = append(out, e)
		}
		return out
	}
	ed := "h " + hkKeyText(hkStranger(t))
	ca := "@cert-authority h " + hkKeyText(hkStranger(t))
	ecdsaLine := "h ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBDcX5EoVUKmJyxKDFsxxb2xVwY5XXF34x1N03hjsTxEJNdBxzv6mP1mu9ZfSA9tIujH683mDrNM8bYhlSn2FjMw="
	def := []string{
		ssh.CertAlgoED25519v01, ssh.CertAlgoECDSA256v01, ssh.CertAlgoECDSA384v01, ssh.CertAlgoECDSA521v01,
		ssh.CertAlgoRSASHA512v01, ssh.CertAlgoRSASHA256v01,
		ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521,
		ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256,
	}
	for _, tc := range []struct {
		name       string
		configured []string
		known      []*entry
		want       []string
	}{
		{"unknown host", nil, nil, def},
		{"ed25519 known", nil, entries(ed), append([]string{ssh.CertAlgoED25519v01, ssh.KeyAlgoED25519},
			slices.DeleteFunc(slices.Clone(def), func(a string) bool { return strings.Contains(a, "ed25519") })...)},
		{"ecdsa known", nil, entries(ecdsaLine), []string{
			ssh.CertAlgoECDSA256v01, ssh.KeyAlgoECDSA256,
			ssh.CertAlgoED25519v01, ssh.CertAlgoECDSA384v01, ssh.CertAlgoECDSA521v01,
			ssh.CertAlgoRSASHA512v01, ssh.CertAlgoRSASHA256v01,
			ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521,
			ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256,
		}},
		{"CA and ecdsa known", nil, entries(ca, ecdsaLine), []string{
			ssh.CertAlgoED25519v01, ssh.CertAlgoECDSA256v01, ssh.CertAlgoECDSA384v01, ssh.CertAlgoECDSA521v01,
			ssh.CertAlgoRSASHA512v01, ssh.CertAlgoRSASHA256v01, ssh.KeyAlgoECDSA256,
			ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521,
			ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256,
		}},
		{"configured", []string{ssh.KeyAlgoECDSA256, "bogus", ssh.KeyAlgoRSA, ssh.KeyAlgoED25519},
			entries(ed), []string{ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoRSA}},
	} {
		got, err := orderHostKeyAlgorithms(tc.configured, tc.known)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, %v\nwant %v", tc.name, got, err, tc.want)
		}
	}
	if _, err := orderHostKeyAlgorithms([]string{ssh.KeyAlgoSKED25519}, nil); err == nil {
		t.Error("a list of algorithms x/crypto cannot verify was accepted")
	}
}

func TestHostKeyPatternMatching(t *testing.T) {
	for _, tc := range []struct {
		name, list string
		want       int
	}{
		{"web1", "web1", 1},
		{"web1", "WEB1", 1},
		{"web1", "web2,web1", 1},
		{"web1", "web?", 1},
		{"web1", "w*", 1},
		{"web1", "*1", 1},
		{"web1", "*", 1},
		{"web1", "web", 0},
		{"web1", "web1?", 0},
		{"web1", "!web1", -1},
		{"web1", "*,!web1", -1},
		{"web1", "!web2,*", 1},
		{"web1", "!web2", 0},
		{"[10.0.0.5]:2222", "10.0.0.5", 0},
		{"[10.0.0.5]:2222", "[10.0.0.5]:2222", 1},
		{"[10.0.0.5]:2222", "[10.0.0.*]:2222", 1},
		{"[10.0.0.5]:2222", "10.0.0.*", 0},
		{"[10.0.0.5]:2222", "*", 1},
		{"a.b.c", "*.c", 1},
		{"a.b.c", "*b*", 1},
		{"a.b.c", "a*c*", 1},
		{"abc", "a**c", 1},
		{"web1", strings.Repeat("x", 1100) + ",web1", 0}, // OpenSSH's subpattern limit
	} {
		if got := matchPatternList(tc.name, tc.list); got != tc.want {
			t.Errorf("matchPatternList(%q, %q) = %d, want %d", tc.name, tc.list, got, tc.want)
		}
	}
}

func TestHostKeyParseLine(t *testing.T) {
	key := hkKeyText(hkStranger(t))
	hashed := xknownhosts.HashHostname("web1")
	for _, tc := range []struct {
		line    string
		marker  lineMarker
		matches string
		bad     string // part of the error; "" for a good line
	}{
		{line: "", matches: ""},
		{line: "   # comment", matches: ""},
		{line: "web1,web2 " + key + " comment here", matches: "web2"},
		{line: "\tweb1\t" + key + "\r", matches: "web1"},
		{line: "@cert-authority *.example.com " + key, marker: markerCA, matches: "a.example.com"},
		{line: "@revoked\tx,y " + key, marker: markerRevoked, matches: "y"},
		{line: hashed + " " + key, matches: "web1"},
		{line: "web1", bad: "no key"},
		{line: "web1 # " + key, bad: "no key"},
		{line: "web1 ssh-ed25519", bad: "no key data"},
		{line: "web1 ssh-ed25519 !!!", bad: "base64"},
		{line: "web1 ssh-rsa " + strings.Fields(key)[1], bad: "does not match"},
		{line: "@bogus web1 " + key, bad: "unknown marker"},
		{line: "@revoked @cert-authority web1 " + key, bad: "more than one marker"},
		{line: "@revoked", bad: "not followed"},
		{line: "|1|c2FsdA==|aGFzaA== " + key, bad: "salt"},
		{line: "|2|" + strings.TrimPrefix(hashed, "|1|") + " " + key, bad: "hashed"},
		{line: "web1 1024 35 12345", bad: "1024"},
	} {
		e, err := parseLine(tc.line)
		switch {
		case tc.bad != "":
			if err == nil || !strings.Contains(err.Error(), tc.bad) {
				t.Errorf("%q: %v, want an error about %q", tc.line, err, tc.bad)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.line, err)
		case tc.matches == "":
			if e != nil {
				t.Errorf("%q: got an entry for a blank or comment line", tc.line)
			}
		case e == nil || e.marker != tc.marker || !e.matches(tc.matches) || e.matches("other.host"):
			t.Errorf("%q: entry %+v, want marker %d matching %q only", tc.line, e, tc.marker, tc.matches)
		}
	}
}

func TestHostKeyRecordNameValidation(t *testing.T) {
	for _, ok := range []string{"web1", "10.0.0.5", "::1", "fe80::1%eth0", "host-name_1.example"} {
		if err := validateRecordHost(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "a b", "a\tb", "a\nb", "a\x00b", "a\x7fb", "a,b", "a#b", "a*", "a?",
		"[a]", "!a", "@a", "|1|x", "a\u00a0b", "a\u202eb", string([]byte{0xff})} {
		if err := validateRecordHost(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

func TestHostKeyVerifierRefusesBadSettings(t *testing.T) {
	k := New(nil)
	h := config.Host{HostName: "web1", Port: 22, StrictHostKeyChecking: "maybe"}
	if _, _, err := k.Verifier(context.Background(), h, "web1:22"); err == nil {
		t.Error("StrictHostKeyChecking maybe was accepted")
	}
	h = config.Host{HostName: "web1", Port: 22, HostKeyAlgorithms: []string{"sk-ssh-ed25519@openssh.com"}}
	if _, _, err := k.Verifier(context.Background(), h, "web1:22"); err == nil {
		t.Error("HostKeyAlgorithms with nothing x/crypto can verify was accepted")
	}
	// HostName and Port default from the dialled address.
	tg, err := newTarget(config.Host{}, "Web1.Example:2222")
	if err != nil || tg.name != "[web1.example]:2222" || tg.bare != "web1.example" || tg.strict != strictAsk {
		t.Errorf("newTarget = %+v, %v", tg, err)
	}
}
