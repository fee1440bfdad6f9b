package sshdtest

import "golang.org/x/crypto/ssh"

// Option changes how Start configures the server.
type Option func(*settings)

// settings is what the options collect before Start uses them.
type settings struct {
	dir      string
	extra    []string
	keyTypes []string
	user     string
}

// WithDir makes dir the directory SFTP sessions start in, instead of a
// fresh t.TempDir(). The directory must exist, and its path may not contain
// white space, quotes, backslashes or '%', which sshd_config would
// interpret.
func WithDir(dir string) Option {
	return func(s *settings) { s.dir = dir }
}

// WithConfig adds lines to sshd_config. sshd keeps the first value it reads
// for most keywords, so the lines go before Start's defaults and win over
// them (for example "PermitRootLogin no" or "MaxStartups 1"); from the first
// line that starts with "Match" on, they go at the end instead, so a Match
// block stays last. ListenAddress, Port, PidFile and the sftp Subsystem are
// Start's own and must not be given again.
func WithConfig(lines ...string) Option {
	return func(s *settings) { s.extra = append(s.extra, lines...) }
}

// WithHostKeyTypes chooses which host keys the server offers, by key type:
// ssh.KeyAlgoED25519 and ssh.KeyAlgoECDSA256 (the default is both). Keys
// of the types left out are not generated and are nil in Server.HostKeys.
func WithHostKeyTypes(types ...string) Option {
	return func(s *settings) { s.keyTypes = append([]string(nil), types...) }
}

// WithUser makes name, an existing account other than the current OS user,
// the one Server.User names. sshd reads authorized_keys as the user logging
// in, so Start makes its private directory traversable (not listable) by
// others and authorized_keys readable by all, and Server.Dir and the
// directory holding it traversable too; the client's private key stays
// 0600. The client key is accepted for any account sshd lets in, so a
// test may log in as several users by naming them in its own client
// configuration. sshd must run as root for a login as another user.
func WithUser(name string) Option {
	return func(s *settings) { s.user = name }
}

// defaultKeyTypes is the host key types offered when no option says
// otherwise.
func defaultKeyTypes() []string {
	return []string{ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256}
}
