package config

import (
	"fmt"
	"slices"
	"strings"
)

// The algorithm lists below are OpenSSH 9.2's, as printed by `ssh -G` (the
// defaults) and `ssh -Q cipher|mac|kex|key-sig` (everything it knows). They
// are used to apply Ciphers/MACs/KexAlgorithms/HostKeyAlgorithms values that
// start with '+', '-' or '^' exactly as OpenSSH does, so that the resolved
// lists match ssh -G. Which of the names ferry can actually negotiate is the
// dialer's business: x/crypto/ssh simply skips names it does not implement.
// A Host with no configured list leaves the field empty, meaning "the SSH
// library's defaults".
var (
	defaultCiphers = []string{
		"chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr",
		"aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
	}
	allCiphers = []string{
		"3des-cbc", "aes128-cbc", "aes192-cbc", "aes256-cbc", "aes128-ctr", "aes192-ctr",
		"aes256-ctr", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
		"chacha20-poly1305@openssh.com",
	}
	defaultMACs = []string{
		"umac-64-etm@openssh.com", "umac-128-etm@openssh.com", "hmac-sha2-256-etm@openssh.com",
		"hmac-sha2-512-etm@openssh.com", "hmac-sha1-etm@openssh.com", "umac-64@openssh.com",
		"umac-128@openssh.com", "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1",
	}
	allMACs = []string{
		"hmac-sha1", "hmac-sha1-96", "hmac-sha2-256", "hmac-sha2-512", "hmac-md5", "hmac-md5-96",
		"umac-64@openssh.com", "umac-128@openssh.com", "hmac-sha1-etm@openssh.com",
		"hmac-sha1-96-etm@openssh.com", "hmac-sha2-256-etm@openssh.com",
		"hmac-sha2-512-etm@openssh.com", "hmac-md5-etm@openssh.com", "hmac-md5-96-etm@openssh.com",
		"umac-64-etm@openssh.com", "umac-128-etm@openssh.com",
	}
	defaultKex = []string{
		"sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com", "curve25519-sha256",
		"curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384",
		"ecdh-sha2-nistp521", "diffie-hellman-group-exchange-sha256",
		"diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512",
		"diffie-hellman-group14-sha256",
	}
	allKex = []string{
		"diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group14-sha256",
		"diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512",
		"diffie-hellman-group-exchange-sha1", "diffie-hellman-group-exchange-sha256",
		"ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "curve25519-sha256",
		"curve25519-sha256@libssh.org", "sntrup761x25519-sha512",
		"sntrup761x25519-sha512@openssh.com",
	}
	defaultHostKeyAlgorithms = []string{
		"ssh-ed25519-cert-v01@openssh.com", "ecdsa-sha2-nistp256-cert-v01@openssh.com",
		"ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521-cert-v01@openssh.com",
		"sk-ssh-ed25519-cert-v01@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
		"rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com",
		"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
		"sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
		"rsa-sha2-512", "rsa-sha2-256",
	}
	allHostKeyAlgorithms = []string{
		"ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com", "sk-ssh-ed25519@openssh.com",
		"sk-ssh-ed25519-cert-v01@openssh.com", "ecdsa-sha2-nistp256",
		"ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384",
		"ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521",
		"ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
		"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
		"webauthn-sk-ecdsa-sha2-nistp256@openssh.com", "ssh-dss",
		"ssh-dss-cert-v01@openssh.com", "ssh-rsa", "ssh-rsa-cert-v01@openssh.com",
		"rsa-sha2-256", "rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-512",
		"rsa-sha2-512-cert-v01@openssh.com",
	}
)

// DefaultHostKeyAlgorithms returns a copy of OpenSSH 9.2's default
// HostKeyAlgorithms, in its order.
func DefaultHostKeyAlgorithms() []string {
	return slices.Clone(defaultHostKeyAlgorithms)
}

// algorithmSet describes one algorithm keyword: its defaults, everything
// OpenSSH knows, and whether explicit lists may use wildcards.
type algorithmSet struct {
	name      string
	defaults  []string
	all       []string
	wildcards bool
}

var (
	cipherSet  = algorithmSet{"Ciphers", defaultCiphers, allCiphers, false}
	macSet     = algorithmSet{"MACs", defaultMACs, allMACs, false}
	kexSet     = algorithmSet{"KexAlgorithms", defaultKex, allKex, false}
	hostKeySet = algorithmSet{"HostKeyAlgorithms", defaultHostKeyAlgorithms, allHostKeyAlgorithms, true}
)

// validate checks a value the way readconf.c does when it reads the line:
// every name of an explicit, '+' or '^' list must be known ('-' lists are
// patterns and are not checked).
func (a algorithmSet) validate(value string) error {
	if strings.HasPrefix(value, "-") {
		return nil
	}
	list := value
	if strings.HasPrefix(value, "+") || strings.HasPrefix(value, "^") {
		list = value[1:]
	}
	for _, name := range strings.Split(list, ",") {
		if slices.Contains(a.all, name) {
			continue
		}
		if a.wildcards && strings.ContainsAny(name, "*?") && slices.ContainsFunc(a.all, func(n string) bool {
			return matchPatternList(n, name, false) != 0
		}) {
			continue
		}
		return fmt.Errorf("bad %s spec '%s'", a.name, value)
	}
	return nil
}

// assemble is OpenSSH's kex_assemble_names: '+' appends to the defaults, '-'
// removes matching names from them, '^' puts names in front of them, and any
// other value replaces them. Patterns expand to the known names they match.
func (a algorithmSet) assemble(value string) ([]string, error) {
	var list []string
	switch {
	case value == "":
		return slices.Clone(a.defaults), nil
	case value[0] == '-':
		var out []string
		for _, name := range a.defaults {
			if matchPatternList(name, value[1:], false) != 1 {
				out = append(out, name)
			}
		}
		return out, nil
	case value[0] == '+':
		list = catNames(a.defaults, strings.Split(value[1:], ","))
	case value[0] == '^':
		list = catNames(strings.Split(value[1:], ","), a.defaults)
	default:
		list = strings.Split(value, ",")
	}
	var out []string
	for _, pat := range list {
		if strings.HasPrefix(pat, "!") {
			return nil, fmt.Errorf("%s: negated pattern %q is not allowed here", a.name, pat)
		}
		var matching []string
		for _, name := range a.all {
			if matchPatternList(name, pat, false) == 1 {
				matching = append(matching, name)
			}
		}
		out = catNames(out, matching)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s %q leaves no algorithms", a.name, value)
	}
	return out, nil
}

// catNames appends the names of b that are not already in a.
func catNames(a, b []string) []string {
	out := slices.Clone(a)
	for _, n := range b {
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
