package config

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// WriteG prints h the way `ssh -G` prints its settings: one "keyword value"
// line per value, keywords lowercase, in ssh's order, with OpenSSH's
// spelling of values (yes/no flags, true/false for StrictHostKeyChecking,
// seconds for times, "none" for an unset ConnectTimeout). IdentityFile,
// CertificateFile and ProxyCommand are printed as written (see Written),
// UserKnownHostsFile expanded and on one line, as ssh does.
func (h Host) WriteG(w io.Writer) error {
	bw := bufio.NewWriter(w)
	line := func(k, v string) { bw.WriteString(k + " " + v + "\n") }
	yesNo := func(k string, b bool) {
		if b {
			line(k, "yes")
		} else {
			line(k, "no")
		}
	}
	line("host", h.Alias)
	line("user", h.User)
	line("hostname", h.HostName)
	line("port", strconv.Itoa(h.Port))
	yesNo("batchmode", h.BatchMode)
	yesNo("hashknownhosts", h.HashKnownHosts)
	yesNo("identitiesonly", h.IdentitiesOnly)
	yesNo("kbdinteractiveauthentication", h.KbdInteractiveAuthentication)
	yesNo("passwordauthentication", h.PasswordAuthentication)
	line("stricthostkeychecking", strictForG(h.StrictHostKeyChecking))
	line("serveralivecountmax", strconv.Itoa(h.ServerAliveCountMax))
	line("serveraliveinterval", strconv.Itoa(int(h.ServerAliveInterval.Seconds())))
	line("ciphers", listOr(h.Ciphers, defaultCiphers))
	line("hostkeyalgorithms", listOr(h.HostKeyAlgorithms, defaultHostKeyAlgorithms))
	if h.HostKeyAlias != "" {
		line("hostkeyalias", h.HostKeyAlias)
	}
	if a := firstNonEmpty(h.Written.IdentityAgent, h.IdentityAgent); a != "" {
		line("identityagent", a)
	}
	line("kexalgorithms", listOr(h.KexAlgorithms, defaultKex))
	line("macs", listOr(h.MACs, defaultMACs))
	if len(h.PreferredAuthentications) > 0 {
		line("preferredauthentications", strings.Join(h.PreferredAuthentications, ","))
	}
	for _, f := range writtenOr(h.Written.IdentityFiles, h.IdentityFiles) {
		line("identityfile", f)
	}
	for _, f := range writtenOr(h.Written.CertificateFiles, h.CertificateFiles) {
		line("certificatefile", f)
	}
	line("globalknownhostsfile", filesOrNone(h.GlobalKnownHostsFiles))
	line("userknownhostsfile", filesOrNone(h.UserKnownHostsFiles))
	if h.ConnectTimeout > 0 || h.Written.ConnectTimeoutSet {
		line("connecttimeout", strconv.Itoa(int(h.ConnectTimeout.Seconds())))
	} else {
		line("connecttimeout", "none")
	}
	if h.ProxyJump != "" {
		line("proxyjump", h.ProxyJump)
	} else if pc := firstNonEmpty(h.Written.ProxyCommand, h.ProxyCommand); pc != "" {
		line("proxycommand", pc)
	}
	return bw.Flush()
}

// strictForG spells StrictHostKeyChecking as ssh -G does.
func strictForG(v string) string {
	switch v {
	case "yes":
		return "true"
	case "no", "off":
		return "false"
	case "":
		return defaultStrictHostKeyCheck
	}
	return v
}

func listOr(list, def []string) string {
	if len(list) == 0 {
		list = def
	}
	return strings.Join(list, ",")
}

func writtenOr(written, expanded []string) []string {
	if written != nil {
		return written
	}
	return expanded
}

func filesOrNone(files []string) string {
	if len(files) == 0 {
		return "none"
	}
	return strings.Join(files, " ")
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
