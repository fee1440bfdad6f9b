package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// OpenSSH 9.2's defaults for settings no configuration gave, as ssh -G
// prints them.
var (
	defaultIdentityFiles = []string{
		"~/.ssh/id_rsa", "~/.ssh/id_ecdsa", "~/.ssh/id_ecdsa_sk", "~/.ssh/id_ed25519",
		"~/.ssh/id_ed25519_sk", "~/.ssh/id_xmss", "~/.ssh/id_dsa",
	}
	defaultUserKnownHostsFiles   = []string{"~/.ssh/known_hosts", "~/.ssh/known_hosts2"}
	defaultGlobalKnownHostsFiles = []string{"/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"}
)

const (
	defaultPort                = 22
	defaultServerAliveCountMax = 3
	defaultStrictHostKeyCheck  = "ask"
)

// finish fills in OpenSSH's defaults and expands ~, ${VAR} and % tokens,
// turning the values obtained for alias into a Host.
func (e *engine) finish(dest Dest) (Host, error) {
	s := &e.s
	h := Host{Alias: dest.Host, Path: dest.Path}

	hostName, err := finalHostName(dest.Host, s.hostName)
	if err != nil {
		return Host{}, err
	}
	h.HostName = hostName
	h.User = orDefault(s.user, e.opts.LocalUser)
	h.Port = orDefault(s.port, defaultPort)
	h.HostKeyAlias = s.hostKeyAlias.v
	x := newExpander(e.opts, h)

	written := identityPaths(s.identityFiles)
	if len(written) == 0 {
		written = defaultIdentityFiles
	}
	h.Written.IdentityFiles = written
	if h.IdentityFiles, err = x.paths("IdentityFile", written); err != nil {
		return Host{}, err
	}
	h.Written.CertificateFiles = identityPaths(s.certificateFiles)
	if h.CertificateFiles, err = x.paths("CertificateFile", h.Written.CertificateFiles); err != nil {
		return Host{}, err
	}
	if s.identityAgent.ok {
		if err := x.identityAgent(&h, s.identityAgent.v); err != nil {
			return Host{}, err
		}
	}
	if err := x.proxy(&h, s.proxyCommand, s.proxyJump); err != nil {
		return Host{}, err
	}

	h.IdentitiesOnly = s.identitiesOnly.v
	h.Written.ConnectTimeoutSet = s.connectTimeout.ok
	h.ConnectTimeout = time.Duration(s.connectTimeout.v) * time.Second
	// In batch mode OpenSSH's default keepalive interval is 5 minutes.
	h.ServerAliveInterval = time.Duration(orDefault(s.serverAliveInterval, 0)) * time.Second
	if !s.serverAliveInterval.ok && s.batchMode.v {
		h.ServerAliveInterval = 300 * time.Second
	}
	h.ServerAliveCountMax = orDefault(s.serverAliveCountMax, defaultServerAliveCountMax)

	ukh := orDefault(s.userKnownHostsFiles, defaultUserKnownHostsFiles)
	if h.UserKnownHostsFiles, err = x.paths("UserKnownHostsFile", noneToNil(ukh)); err != nil {
		return Host{}, err
	}
	h.GlobalKnownHostsFiles = noneToNil(orDefault(s.globalKnownHostsFiles, defaultGlobalKnownHostsFiles))
	h.StrictHostKeyChecking = orDefault(s.strictHostKeyChecking, defaultStrictHostKeyCheck)
	h.HashKnownHosts = s.hashKnownHosts.v

	if s.preferredAuth.ok {
		h.PreferredAuthentications = strings.Split(s.preferredAuth.v, ",")
	}
	h.PasswordAuthentication = orDefault(s.passwordAuth, true)
	h.KbdInteractiveAuthentication = orDefault(s.kbdInteractiveAuth, true)
	h.BatchMode = s.batchMode.v

	for _, a := range []struct {
		set algorithmSet
		val opt[string]
		dst *[]string
	}{
		{cipherSet, s.ciphers, &h.Ciphers},
		{kexSet, s.kexAlgorithms, &h.KexAlgorithms},
		{macSet, s.macs, &h.MACs},
		{hostKeySet, s.hostKeyAlgorithms, &h.HostKeyAlgorithms},
	} {
		if !a.val.ok {
			continue
		}
		if *a.dst, err = a.set.assemble(a.val.v); err != nil {
			return Host{}, err
		}
	}
	return h, nil
}

// finalHostName expands %h in HostName (the only token it takes besides %%)
// and lowercases the result unless it is an IP address, as ssh does.
func finalHostName(alias string, hostName opt[string]) (string, error) {
	host := alias
	if hostName.ok {
		var err error
		if host, err = expandTokens(hostName.v, tokens{'h': alias}, nil); err != nil {
			return "", fmt.Errorf("HostName: %w", err)
		}
	}
	if net.ParseIP(host) == nil {
		host = strings.ToLower(host)
	}
	return host, nil
}

// expander expands the paths and commands of one resolved Host.
type expander struct {
	opts      *Options
	tokens    tokens
	localDone bool // %l, %L and %C are set
}

// newExpander prepares the tokens of ssh_config(5) for h, whose HostName,
// User, Port and HostKeyAlias are final.
func newExpander(opts *Options, h Host) *expander {
	port := strconv.Itoa(h.Port)
	keyAlias := h.Alias
	if h.HostKeyAlias != "" {
		keyAlias = h.HostKeyAlias
	}
	x := &expander{opts: opts, tokens: tokens{
		'd': opts.Home, 'h': h.HostName, 'i': opts.uid(), 'k': keyAlias,
		'n': h.Alias, 'p': port, 'r': h.User, 'u': opts.LocalUser,
	}}
	return x
}

// expand applies ~ expansion, then % tokens and ${VAR}.
func (x *expander) expand(keyword, s string) (string, error) {
	p, err := expandTilde(s, x.opts.Home, x.opts.LocalUser)
	if err != nil {
		return "", fmt.Errorf("%s: %w", keyword, err)
	}
	if strings.Contains(p, "%") && strings.ContainsAny(p, "lLC") {
		x.fillLocalHost() // the local host name is looked up only when needed
	}
	out, err := expandTokens(p, x.tokens, x.opts.getenv)
	if err != nil {
		return "", fmt.Errorf("%s: %w", keyword, err)
	}
	return out, nil
}

// fillLocalHost sets %l, %L and %C.
func (x *expander) fillLocalHost() {
	if x.localDone {
		return
	}
	x.localDone = true
	l := x.opts.localHostname()
	short, _, _ := strings.Cut(l, ".")
	x.tokens['l'], x.tokens['L'] = l, short
	x.tokens['C'] = connectionHash(l, x.tokens['h'], x.tokens['p'], x.tokens['r'])
}

// paths expands each path of a list.
func (x *expander) paths(keyword string, in []string) ([]string, error) {
	var out []string
	for _, p := range in {
		e, err := x.expand(keyword, p)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// identityAgent expands IdentityAgent and resolves its special values:
// SSH_AUTH_SOCK (the default agent) and $VAR (the socket named by VAR).
func (x *expander) identityAgent(h *Host, raw string) error {
	v, err := x.expand("IdentityAgent", raw)
	if err != nil {
		return err
	}
	h.Written.IdentityAgent = v
	switch {
	case v == "SSH_AUTH_SOCK":
		h.IdentityAgent = ""
	case strings.HasPrefix(v, "$"):
		h.IdentityAgent = x.opts.getenv(v[1:])
		if h.IdentityAgent == "" {
			return fmt.Errorf("IdentityAgent %s: environment variable not set", v)
		}
	default:
		h.IdentityAgent = v
	}
	return nil
}

// proxy sets ProxyJump or ProxyCommand; "none" means neither. ProxyCommand
// takes %h, %k, %n, %p and %r, and no ~ or ${VAR} (the shell sees those).
func (x *expander) proxy(h *Host, command, jump opt[string]) error {
	if jump.ok && jump.v != "none" {
		h.ProxyJump = jump.v
	}
	if !command.ok || command.v == "none" {
		return nil
	}
	h.Written.ProxyCommand = command.v
	t := tokens{'h': h.HostName, 'k': x.tokens['k'], 'n': h.Alias, 'p': x.tokens['p'], 'r': h.User}
	cmd, err := expandTokens(command.v, t, nil)
	if err != nil {
		return fmt.Errorf("ProxyCommand: %w", err)
	}
	h.ProxyCommand = cmd
	return nil
}

// identityPaths returns the paths of a list of IdentityFile values.
func identityPaths(list []pathEntry) []string {
	var out []string
	for _, e := range list {
		out = append(out, e.path)
	}
	return out
}

// noneToNil turns the list "none" into no files.
func noneToNil(list []string) []string {
	if len(list) == 1 && strings.EqualFold(list[0], "none") {
		return nil
	}
	return list
}

// orDefault returns o's value, or def when nothing was obtained.
func orDefault[T any](o opt[T], def T) T {
	if o.ok {
		return o.v
	}
	return def
}
