package knownhosts

import (
	"fmt"
	"strings"

	"github.com/ferry-tui/ferry/config"
	"golang.org/x/crypto/ssh"
)

// certSuffix ends the name of every OpenSSH certificate algorithm.
const certSuffix = "-cert-v01@openssh.com"

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
func orderHostKeyAlgorithms(configured []string, known []*entry) ([]string, error) {
	list := configured
	if len(list) == 0 {
		// OpenSSH's default order, not x/crypto's: that puts ECDSA before
		// Ed25519, which is one way to get the false "changed key" alarms
		// that known_hosts ordering exists to avoid.
		list = config.DefaultHostKeyAlgorithms()
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
		case markerNone:
			knownTypes[e.key.Type()] = true
		case markerCA:
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
