// Package config resolves a destination such as a ~/.ssh/config alias into
// the settings ferry dials with, the way OpenSSH's ssh -G does.
//
// The package never reads the environment or the home directory behind the
// caller's back: paths and the user name arrive as arguments.
package config

import "time"

// Host is a fully resolved destination: every value ferry needs to dial,
// with OpenSSH's defaults filled in and ~, ${VAR} and % tokens expanded.
type Host struct {
	// Alias is the host as the user typed it (the ssh_config "original host").
	Alias string
	// HostName is the name or address actually dialled.
	HostName string
	// User is the remote login name.
	User string
	// Port is the TCP port (default 22).
	Port int
	// Path is the start directory or operand path taken from the destination
	// (user@host:path or sftp://host/path); empty means the login directory.
	Path string

	// IdentityFiles are private key files, in order, expanded. Files that
	// do not exist are kept: OpenSSH's default list is given even when none
	// of its files exist.
	IdentityFiles []string
	// IdentitiesOnly limits authentication to IdentityFiles (and their agent keys).
	IdentitiesOnly bool
	// IdentityAgent is the agent socket path; "none" disables the agent,
	// empty means $SSH_AUTH_SOCK.
	IdentityAgent string
	// CertificateFiles are certificate files, in order, expanded.
	CertificateFiles []string

	// ProxyJump is the comma-separated jump chain, as ssh -G prints it;
	// empty when none. ParseJumpHops splits it into destinations.
	ProxyJump string
	// ProxyCommand is run through sh -c to make the connection, with its %h,
	// %k, %n, %p and %r tokens expanded; empty when none. At most one of
	// ProxyJump and ProxyCommand is set.
	ProxyCommand string

	// ConnectTimeout bounds TCP connect plus the SSH handshake; 0 means none.
	ConnectTimeout time.Duration
	// ServerAliveInterval is the keepalive period; 0 means ferry's default.
	ServerAliveInterval time.Duration
	// ServerAliveCountMax is how many unanswered keepalives end the connection.
	ServerAliveCountMax int

	// UserKnownHostsFiles are the user's known_hosts files, expanded; new
	// keys go to the first. Empty for "UserKnownHostsFile none".
	UserKnownHostsFiles []string
	// GlobalKnownHostsFiles are the system-wide known_hosts files, as
	// written (OpenSSH does not expand them). Empty for "none".
	GlobalKnownHostsFiles []string
	// StrictHostKeyChecking is "yes", "ask", "accept-new" or "no".
	StrictHostKeyChecking string
	// HostKeyAlias replaces the host name when looking up and recording keys.
	HostKeyAlias string
	// HashKnownHosts hashes names written to known_hosts.
	HashKnownHosts bool

	// PreferredAuthentications lists auth methods in the order to try.
	PreferredAuthentications []string
	// PasswordAuthentication allows password authentication.
	PasswordAuthentication bool
	// KbdInteractiveAuthentication allows keyboard-interactive authentication.
	KbdInteractiveAuthentication bool
	// BatchMode forbids every prompt.
	BatchMode bool

	// Ciphers, KexAlgorithms, MACs and HostKeyAlgorithms are the lists the
	// configuration asked for, with "+", "-" and "^" applied to OpenSSH
	// 9.2's defaults as ssh does. They may name algorithms x/crypto lacks,
	// which the dialer skips. Empty means not configured: use the library's
	// defaults.
	Ciphers           []string
	KexAlgorithms     []string
	MACs              []string
	HostKeyAlgorithms []string

	// Written keeps settings the way ssh -G prints them where that differs
	// from the expanded values above. WriteG uses it; dialing never should.
	Written Written
}

// Written holds values as the configuration spelled them: OpenSSH expands
// IdentityFile, CertificateFile and ProxyCommand only when it connects, so
// ssh -G prints them unexpanded.
type Written struct {
	// IdentityFiles are the IdentityFile values before ~, ${VAR} and %
	// expansion (OpenSSH's default list when none was configured).
	IdentityFiles []string
	// CertificateFiles are the CertificateFile values before expansion.
	CertificateFiles []string
	// ProxyCommand is the ProxyCommand before % expansion.
	ProxyCommand string
	// IdentityAgent is IdentityAgent after expansion but before its special
	// values (SSH_AUTH_SOCK, $VAR) are resolved.
	IdentityAgent string
	// ConnectTimeoutSet reports that ConnectTimeout was configured, so that
	// an explicit 0 prints as 0 rather than "none".
	ConnectTimeoutSet bool
}
