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

	// IdentityFiles are private key files, in order.
	IdentityFiles []string
	// IdentitiesOnly limits authentication to IdentityFiles (and their agent keys).
	IdentitiesOnly bool
	// IdentityAgent is the agent socket path; "none" disables the agent,
	// empty means $SSH_AUTH_SOCK.
	IdentityAgent string
	// CertificateFiles are certificate files, in order.
	CertificateFiles []string

	// ProxyJump is the comma-separated jump chain; empty when none.
	ProxyJump string
	// ProxyCommand is run through sh -c to make the connection; empty when none.
	ProxyCommand string

	// ConnectTimeout bounds TCP connect plus the SSH handshake; 0 means none.
	ConnectTimeout time.Duration
	// ServerAliveInterval is the keepalive period; 0 means ferry's default.
	ServerAliveInterval time.Duration
	// ServerAliveCountMax is how many unanswered keepalives end the connection.
	ServerAliveCountMax int

	// UserKnownHostsFiles are the user's known_hosts files; new keys go to the first.
	UserKnownHostsFiles []string
	// GlobalKnownHostsFiles are the system-wide known_hosts files.
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

	// Ciphers, KexAlgorithms, MACs and HostKeyAlgorithms are the resolved
	// algorithm lists; empty means the library's defaults.
	Ciphers           []string
	KexAlgorithms     []string
	MACs              []string
	HostKeyAlgorithms []string
}
