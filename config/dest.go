package config

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Dest is a destination as the user typed it, before ssh_config is applied.
type Dest struct {
	// User is the login name given in the destination; empty when none.
	User string
	// Host is the host or alias, without brackets around IPv6 addresses.
	Host string
	// Port is the port from an sftp:// URL; 0 means not given.
	Port int
	// Path is the remote path; relative paths are relative to the login
	// directory.
	Path string
	// HasPath reports whether the destination named a path at all
	// ("host:" and "sftp://host/" do, with an empty Path).
	HasPath bool
}

// ParseDestination parses a destination the way OpenSSH's sftp does:
// "sftp://[user@]host[:port][/path]" (user and path URL-decoded; a path of
// "/~/x" or "/x" is relative to the login directory, "//x" is absolute), then
// scp's "[user@]host:[path]" (IPv6 addresses in brackets), then a plain
// "[user@]host" or alias.
func ParseDestination(s string) (Dest, error) {
	if s == "" {
		return Dest{}, errors.New("empty destination")
	}
	if rest, ok := strings.CutPrefix(s, "sftp://"); ok {
		d, err := parseSFTPURL(rest)
		if err != nil {
			return Dest{}, fmt.Errorf("destination %q: %w", s, err)
		}
		return d, nil
	}
	if scheme, _, ok := strings.Cut(s, "://"); ok && !strings.ContainsAny(scheme, "@:/[") {
		return Dest{}, fmt.Errorf("destination %q: unsupported URL scheme %q (use sftp://)", s, scheme)
	}
	var d Dest
	hostPart := s
	if i := remoteColon(s); i >= 0 {
		hostPart, d.Path, d.HasPath = s[:i], s[i+1:], true
	}
	if at := strings.LastIndexByte(hostPart, '@'); at >= 0 {
		d.User, hostPart = hostPart[:at], hostPart[at+1:]
		if d.User == "" {
			return Dest{}, fmt.Errorf("destination %q: empty user name before '@'", s)
		}
	}
	d.Host = cleanHostname(hostPart)
	if err := checkHost(d.Host); err != nil {
		return Dest{}, fmt.Errorf("destination %q: %w", s, err)
	}
	return d, nil
}

// IsRemote reports whether a command-line operand names a remote file
// (sftp://... or scp's [user@]host:path) rather than a local path, using
// scp's rule: a '/' before the first ':' makes it local.
func IsRemote(arg string) bool {
	return strings.HasPrefix(arg, "sftp://") || remoteColon(arg) >= 0
}

// remoteColon is scp's colon(): the index of the ':' that ends the host part
// of [user@]host:path, or -1. A leading ':' or a '/' before the colon means
// the operand is a local path; IPv6 addresses must be in brackets.
func remoteColon(s string) int {
	if strings.HasPrefix(s, ":") {
		return -1
	}
	bracket := strings.HasPrefix(s, "[")
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '@' && i+1 < len(s) && s[i+1] == '[':
			bracket = true
		case s[i] == ']' && i+1 < len(s) && s[i+1] == ':' && bracket:
			return i + 1
		case s[i] == ':' && !bracket:
			return i
		case s[i] == '/':
			return -1
		}
	}
	return -1
}

// parseSFTPURL parses what follows "sftp://" as OpenSSH's parse_uri does.
func parseSFTPURL(rest string) (Dest, error) {
	var d Dest
	if at := strings.IndexByte(rest, '@'); at >= 0 {
		user, _, _ := strings.Cut(rest[:at], ";") // connection parameters are ignored
		if user == "" {
			return Dest{}, errors.New("empty user name before '@'")
		}
		u, err := urlDecode(user)
		if err != nil {
			return Dest{}, fmt.Errorf("user name: %w", err)
		}
		d.User, rest = u, rest[at+1:]
	}
	host, delim, tail, err := splitHostPort(rest)
	if err != nil {
		return Dest{}, err
	}
	d.Host = cleanHostname(host)
	if err := checkHost(d.Host); err != nil {
		return Dest{}, err
	}
	if delim == ':' {
		portStr, after, slash := strings.Cut(tail, "/")
		if d.Port, err = parsePort(portStr); err != nil {
			return Dest{}, err
		}
		tail, delim = after, 0
		if slash {
			delim = '/'
		}
	}
	if delim == '/' {
		p, err := urlDecode(tail)
		if err != nil {
			return Dest{}, fmt.Errorf("path: %w", err)
		}
		switch {
		case p == "~":
			p = ""
		case strings.HasPrefix(p, "~/"):
			p = p[2:]
		}
		d.Path, d.HasPath = p, true
	}
	return d, nil
}

// splitHostPort is OpenSSH's hpdelim2: it splits "host", "[v6]" or either
// followed by ':' or '/' and returns the host, the delimiter (0 at the end)
// and what follows it.
func splitHostPort(s string) (host string, delim byte, rest string, err error) {
	end := 0
	if strings.HasPrefix(s, "[") {
		i := strings.IndexByte(s, ']')
		if i < 0 {
			return "", 0, "", errors.New("missing ']' after IPv6 address")
		}
		end = i + 1
	} else if i := strings.IndexAny(s, ":/"); i >= 0 {
		end = i
	} else {
		end = len(s)
	}
	host = s[:end]
	if host == "" || host == "[]" {
		return "", 0, "", errors.New("empty host name")
	}
	if end == len(s) {
		return host, 0, "", nil
	}
	if s[end] != ':' && s[end] != '/' {
		return "", 0, "", fmt.Errorf("unexpected %q after host %s", s[end], host)
	}
	return host, s[end], s[end+1:], nil
}

// cleanHostname strips the brackets around an IPv6 address.
func cleanHostname(h string) string {
	if len(h) >= 2 && h[0] == '[' && h[len(h)-1] == ']' {
		return h[1 : len(h)-1]
	}
	return h
}

// checkHost rejects host names that cannot be right and could be mistaken
// for options when handed to ssh.
func checkHost(h string) error {
	switch {
	case h == "":
		return errors.New("empty host name")
	case strings.HasPrefix(h, "-"):
		return fmt.Errorf("host name %q starts with '-'", h)
	case strings.ContainsAny(h, "/@") || strings.ContainsFunc(h, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return fmt.Errorf("invalid host name %q", h)
	}
	return nil
}

// urlDecode decodes %XX escapes and '+' as OpenSSH's urldecode does; a NUL
// byte is refused.
func urlDecode(s string) (string, error) {
	out, err := url.QueryUnescape(s)
	if err != nil {
		return "", fmt.Errorf("bad URL escape in %q: %w", s, err)
	}
	if strings.IndexByte(out, 0) >= 0 {
		return "", fmt.Errorf("NUL byte in %q", s)
	}
	return out, nil
}
