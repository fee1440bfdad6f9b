package knownhosts

import (
	"errors"
	"fmt"
	"strings"
)

// ErrDeclined is the cause of a UnknownKeyError when the user
// answered no to the question about an unknown host key.
var ErrDeclined = errors.New("host key not accepted")

// errNoUserFile is the cause of a UnknownKeyError when
// UserKnownHostsFile is none, so a new key could not be recorded: OpenSSH
// then treats known_hosts as read-only and refuses new keys in every mode.
var errNoUserFile = errors.New("UserKnownHostsFile is none, so a new host key cannot be recorded")

// opensshBanner frames OpenSSH's host key warnings.
const opensshBanner = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"

// ChangedKeyError is returned, in every StrictHostKeyChecking mode,
// when known_hosts holds keys for the host and the server's key is not one
// of them. Its message is OpenSSH's "REMOTE HOST IDENTIFICATION HAS
// CHANGED" warning. The handshake fails with it, so nothing (no password,
// no key signature) is sent to the server.
type ChangedKeyError struct {
	// Host is the name the key was looked up by, e.g. "web1" or
	// "[10.0.0.5]:2222" (the HostKeyAlias when one is set).
	Host string
	// KeyType is the algorithm name of the key the server sent, e.g.
	// "ssh-ed25519".
	KeyType string
	// Fingerprint is the SHA256 fingerprint of the key the server sent, as
	// OpenSSH prints it ("SHA256:...").
	Fingerprint string
	// File and Line locate the known_hosts entry that disagrees (the last
	// one, as OpenSSH reports it).
	File string
	// Line is the 1-based line number of the offending entry in File.
	Line int
	// KnownKeyType is the algorithm name of the key in File:Line.
	KnownKeyType string
	// AddTo is the file in which OpenSSH tells the user to add the correct
	// key: the first UserKnownHostsFile.
	AddTo string
	// Strict is the StrictHostKeyChecking mode in force.
	Strict string
}

// Error returns OpenSSH's warning, with the new key's type and
// fingerprint and the offending file:line.
func (e *ChangedKeyError) Error() string {
	var b strings.Builder
	b.WriteString(opensshBanner + "\n")
	b.WriteString("@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n")
	b.WriteString(opensshBanner + "\n")
	b.WriteString("IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\n")
	b.WriteString("Someone could be eavesdropping on you right now (man-in-the-middle attack)!\n")
	b.WriteString("It is also possible that a host key has just been changed.\n")
	fmt.Fprintf(&b, "The fingerprint for the %s key sent by the remote host is\n%s.\n",
		KeyTypeName(e.KeyType), e.Fingerprint)
	b.WriteString("Please contact your system administrator.\n")
	if e.AddTo != "" {
		fmt.Fprintf(&b, "Add correct host key in %s to get rid of this message.\n", e.AddTo)
	}
	fmt.Fprintf(&b, "Offending %s key in %s:%d\n", KeyTypeName(e.KnownKeyType), e.File, e.Line)
	b.WriteString("  remove with:\n")
	fmt.Fprintf(&b, "  ssh-keygen -f \"%s\" -R \"%s\"\n", e.File, e.Host)
	if e.Strict == strictNo {
		fmt.Fprintf(&b, "Host key for %s has changed; ferry refuses a changed host key even with StrictHostKeyChecking no.\n", e.Host)
	} else {
		fmt.Fprintf(&b, "Host key for %s has changed and you have requested strict checking.\n", e.Host)
	}
	b.WriteString("Host key verification failed.")
	return b.String()
}

// RevokedKeyError is returned, in every StrictHostKeyChecking mode,
// when the server's key (or, for a host certificate, its certificate
// authority) is listed as @revoked for the host in known_hosts.
type RevokedKeyError struct {
	// Host is the name the key was looked up by.
	Host string
	// KeyType is the algorithm name of the key the server sent.
	KeyType string
	// Fingerprint is the SHA256 fingerprint of the key the server sent
	// (of its plain key, for a certificate, as OpenSSH prints it).
	Fingerprint string
	// File and Line locate the @revoked entry.
	File string
	// Line is the 1-based line number of the @revoked entry in File.
	Line int
	// Strict is the StrictHostKeyChecking mode in force.
	Strict string
}

// Error returns OpenSSH's "REVOKED HOST KEY DETECTED" warning, naming the
// key and the @revoked entry.
func (e *RevokedKeyError) Error() string {
	var b strings.Builder
	t := KeyTypeName(e.KeyType)
	b.WriteString(opensshBanner + "\n")
	b.WriteString("@       WARNING: REVOKED HOST KEY DETECTED!               @\n")
	b.WriteString(opensshBanner + "\n")
	fmt.Fprintf(&b, "The %s host key for %s is marked as revoked.\n", t, e.Host)
	b.WriteString("This could mean that a stolen key is being used to\n")
	b.WriteString("impersonate this host.\n")
	fmt.Fprintf(&b, "The key sent by the remote host is %s %s.\n", t, e.Fingerprint)
	fmt.Fprintf(&b, "Revoked in %s:%d\n", e.File, e.Line)
	fmt.Fprintf(&b, "%s host key for %s was revoked and you have requested strict checking.\n", t, e.Host)
	b.WriteString("Host key verification failed.")
	return b.String()
}

// UnknownKeyError is returned when no key is known for the host and
// the key the server sent was not accepted: StrictHostKeyChecking is yes,
// the user declined (Err is ErrDeclined), the question could not be
// asked (Err is the Prompter's error, such as ErrNoPrompt), or the key
// could not be recorded (UserKnownHostsFile none, or a host name that
// cannot be written safely). Nothing was written to known_hosts.
type UnknownKeyError struct {
	// Host is the name the key would have been recorded under.
	Host string
	// KeyType is the algorithm name of the key the server sent.
	KeyType string
	// Fingerprint is the SHA256 fingerprint of the key the server sent.
	Fingerprint string
	// Strict is the StrictHostKeyChecking mode in force.
	Strict string
	// Err is why the key was not accepted; nil under
	// StrictHostKeyChecking yes.
	Err error
}

// Error says which key of which host is unknown and why it was refused,
// in OpenSSH's words where it has them.
func (e *UnknownKeyError) Error() string {
	t := KeyTypeName(e.KeyType)
	switch {
	case e.Err == nil:
		return fmt.Sprintf("No %s host key is known for %s and you have requested strict checking.\n"+
			"Host key verification failed.", t, e.Host)
	case errors.Is(e.Err, ErrDeclined):
		return fmt.Sprintf("The %s host key for %s (%s) is not known and was not accepted.\n"+
			"Host key verification failed.", t, e.Host, e.Fingerprint)
	default:
		return fmt.Sprintf("The %s host key for %s (%s) is not known and cannot be accepted: %v\n"+
			"Host key verification failed.", t, e.Host, e.Fingerprint, e.Err)
	}
}

// Unwrap returns the reason the key was not accepted.
func (e *UnknownKeyError) Unwrap() error { return e.Err }

// KeyTypeName returns the short name OpenSSH prints for the key type or
// host key algorithm algo in its warnings and questions (sshkey_type):
// "ED25519", "ECDSA", "RSA", "ED25519-CERT" and so on; algo itself when
// OpenSSH has no short name for it.
func KeyTypeName(algo string) string {
	cert := strings.HasSuffix(algo, certSuffix)
	var t string
	switch plainKeyType(algo) {
	case "ssh-ed25519":
		t = "ED25519"
	case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521":
		t = "ECDSA"
	case "ssh-rsa":
		t = "RSA"
	case "ssh-dss":
		t = "DSA"
	case "sk-ssh-ed25519@openssh.com":
		t = "ED25519-SK"
	case "sk-ecdsa-sha2-nistp256@openssh.com":
		t = "ECDSA-SK"
	default:
		return algo
	}
	if cert {
		t += "-CERT"
	}
	return t
}
