package remote

import (
	"fmt"
	"strings"

	"golang.org/x/crypto/ssh"
)

// certSuffix ends the name of every OpenSSH certificate algorithm.
const certSuffix = "-cert-v01@openssh.com"

// opensshDefaultHostKeyAlgorithms returns OpenSSH 9.2's default
// HostKeyAlgorithms, in its order. x/crypto's own default puts ECDSA
// before Ed25519, which is one way to get the false "changed key" alarms
// that known_hosts ordering exists to avoid.
func opensshDefaultHostKeyAlgorithms() []string {
	return []string{
		ssh.CertAlgoED25519v01, ssh.CertAlgoECDSA256v01, ssh.CertAlgoECDSA384v01,
		ssh.CertAlgoECDSA521v01, ssh.CertAlgoSKED25519v01, ssh.CertAlgoSKECDSA256v01,
		ssh.CertAlgoRSASHA512v01, ssh.CertAlgoRSASHA256v01,
		ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521,
		ssh.KeyAlgoSKED25519, ssh.KeyAlgoSKECDSA256, ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256,
	}
}

// plainKeyType returns the key type (as ssh.PublicKey.Type reports it)
// that a host key algorithm is used with: "ssh-rsa" for rsa-sha2-256 and
// the RSA certificate algorithms, "ssh-ed25519" for
// ssh-ed25519-cert-v01@openssh.com, and so on (OpenSSH's sshkey_type_plain).
func plainKeyType(algo string) string {
	if base, ok := strings.CutSuffix(algo, certSuffix); ok {
		algo = base
		if strings.HasPrefix(algo, "sk-") {
			algo += "@openssh.com"
		}
	}
	switch algo {
	case ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSASHA512:
		return ssh.KeyAlgoRSA
	}
	return algo
}

// orderHostKeyAlgorithms returns the host key algorithms to offer for a
// host whose matching known_hosts entries are known: configured (or
// OpenSSH's default list when it is empty), reduced to what x/crypto can
// verify, with the algorithms of the keys already known for the host moved
// to the front, and every certificate algorithm too when a
// @cert-authority entry matches the host. The order within each group is
// kept.
//
// This is OpenSSH's order_hostkeyalgs with two differences that only ever
// avoid false alarms: the known algorithms go first even when the first
// configured one is already known (OpenSSH then keeps the list verbatim,
// so a server with a certificate of another type can still be asked for
// that type), and a HostKeyAlgorithms list from the configuration is
// reordered too (ferry cannot tell an explicit list from a "+" or "-" one
// once config has resolved it). Neither adds or removes an algorithm.
func orderHostKeyAlgorithms(configured []string, known []*khEntry) ([]string, error) {
	list := configured
	if len(list) == 0 {
		list = opensshDefaultHostKeyAlgorithms()
	}
	usable := make(map[string]bool)
	for _, a := range ssh.SupportedAlgorithms().HostKeys {
		usable[a] = true
	}
	for _, a := range ssh.InsecureAlgorithms().HostKeys {
		usable[a] = len(configured) > 0 // only when asked for by name
	}
	knownTypes := make(map[string]bool)
	haveCA := false
	for _, e := range known {
		switch e.marker {
		case khPlain:
			knownTypes[e.key.Type()] = true
		case khCA:
			haveCA = true
		}
	}
	var first, last []string
	seen := make(map[string]bool)
	for _, a := range list {
		if !usable[a] || seen[a] {
			continue
		}
		seen[a] = true
		if (haveCA && strings.HasSuffix(a, certSuffix)) || knownTypes[plainKeyType(a)] {
			first = append(first, a)
		} else {
			last = append(last, a)
		}
	}
	out := append(first, last...)
	if len(out) == 0 {
		return nil, fmt.Errorf("HostKeyAlgorithms: none of %s is supported", strings.Join(list, ","))
	}
	return out, nil
}
