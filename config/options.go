package config

import (
	"fmt"
	"io"
	"os"
	"strconv"
)

// Options carries everything Resolve needs from outside the package: file
// paths, the local identity, the environment and the shared command-line
// flags. Resolve reads nothing else from the process environment.
type Options struct {
	// UserConfig is the user's configuration file: ~/.ssh/config, or the
	// file given with -F. Empty or "none" reads no user file (as ssh -F none).
	UserConfig string
	// UserConfigRequired makes a missing UserConfig an error, as it is for
	// ssh -F. Leave it false for the default ~/.ssh/config.
	UserConfigRequired bool
	// SystemConfig is the system-wide file, normally /etc/ssh/ssh_config.
	// Leave it empty when -F was given: ssh -F skips the system file.
	// Relative Include paths in it are taken relative to its directory.
	SystemConfig string

	// Home is the local home directory used for ~, %d, relative Include
	// paths of the user file and the default identity and known_hosts files.
	Home string
	// LocalUser is the local login name: the default User, %u, and the
	// only name accepted in ~user paths.
	LocalUser string
	// LocalHostname is the local host name for %l, %L and %C; empty means
	// os.Hostname, asked only when one of those tokens is used.
	LocalHostname string
	// UID is the local user ID for %i; empty means os.Getuid.
	UID string
	// Getenv looks up environment variables for ${VAR} and for an
	// IdentityAgent of the form $VAR; nil means none are set. An empty value
	// counts as unset.
	Getenv func(string) string

	// Overrides are the -o Key=Value options, in command-line order. They
	// win over the files.
	Overrides []string
	// Identities are the -i files, in order. As with ssh, a file that does
	// not exist is skipped with a warning on Log.
	Identities []string
	// Jump is the -J value: a ProxyJump chain, or "none".
	Jump string
	// Port is the -P port; 0 means not given. It wins over everything else.
	Port int

	// SSHPath is the ssh binary used to resolve configurations ferry
	// cannot apply itself (Match blocks, CanonicalizeHostname) with
	// `ssh -G`; empty disables that fallback, making such files an error.
	SSHPath string
	// SSHEnv is the environment for that ssh; nil means the process
	// environment. HOME is always set to Home.
	SSHEnv []string

	// Log receives a debug trace of the resolution (files read, blocks
	// applied, the ssh -G fallback); nil discards it.
	Log io.Writer
}

// logf writes one debug line to o.Log, if any.
func (o *Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, "debug1: "+format+"\n", args...)
	}
}

// getenv looks a variable up through o.Getenv.
func (o *Options) getenv(name string) string {
	if o.Getenv == nil {
		return ""
	}
	return o.Getenv(name)
}

// localHostname returns o.LocalHostname or, when empty, the system's.
func (o *Options) localHostname() string {
	if o.LocalHostname != "" {
		return o.LocalHostname
	}
	h, err := os.Hostname()
	if err != nil {
		return "localhost"
	}
	return h
}

// uid returns o.UID or, when empty, the process's user ID.
func (o *Options) uid() string {
	if o.UID != "" {
		return o.UID
	}
	return strconv.Itoa(os.Getuid())
}
