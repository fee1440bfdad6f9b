package config

// opt is a setting that, as in OpenSSH, keeps the first value it is given.
type opt[T any] struct {
	v  T
	ok bool
}

// setFirst stores v unless a value was stored before.
func (o *opt[T]) setFirst(v T) {
	if !o.ok {
		o.v, o.ok = v, true
	}
}

// Identity file classes, as OpenSSH's add_identity_file "userprovided"
// argument: duplicates are dropped only within one class.
const (
	fromSystemFile = 0
	fromFlagI      = 1
	fromUserFile   = 2 // the user's file and -o options
)

// pathEntry is one IdentityFile or CertificateFile value as written.
type pathEntry struct {
	path  string
	class int
}

// maxPathEntries is SSH_MAX_IDENTITY_FILES and SSH_MAX_CERTIFICATE_FILES.
const maxPathEntries = 100

// maxKnownHostsFiles is SSH_MAX_HOSTS_FILES.
const maxKnownHostsFiles = 32

// settings accumulates the raw values obtained for one destination, before
// defaults and expansion.
type settings struct {
	hostName, user, identityAgent, hostKeyAlias, preferredAuth opt[string]
	strictHostKeyChecking                                      opt[string]
	port                                                       opt[int]
	identityFiles, certificateFiles                            []pathEntry
	identitiesOnly, hashKnownHosts, passwordAuth               opt[bool]
	kbdInteractiveAuth, batchMode                              opt[bool]

	// proxyCommand is the ProxyCommand as written, or "none"; a ProxyJump
	// that takes effect sets it to "none", as readconf.c does.
	proxyCommand opt[string]
	// proxyJump is the ProxyJump as ssh -G prints it, or "none".
	proxyJump opt[string]

	connectTimeout, serverAliveInterval, serverAliveCountMax opt[int]
	userKnownHostsFiles, globalKnownHostsFiles               opt[[]string]
	ciphers, kexAlgorithms, macs, hostKeyAlgorithms          opt[string]

	ignoreUnknown opt[string]
	// canonicalize is CanonicalizeHostname's value and where it was set.
	canonicalize   opt[string]
	canonicalizeAt source
}

// addPath appends an IdentityFile or CertificateFile value unless the same
// string was already added by the same class of source.
func addPath(list []pathEntry, path string, class int) ([]pathEntry, bool) {
	for _, e := range list {
		if e.class == class && e.path == path {
			return list, true
		}
	}
	if len(list) >= maxPathEntries {
		return list, false
	}
	return append(list, pathEntry{path, class}), true
}
