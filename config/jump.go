package config

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// parsePort is OpenSSH's a2port: a decimal number from 1 to 65535 or a TCP
// service name from the services database.
func parsePort(s string) (int, error) {
	if s == "" {
		return 0, errors.New("empty port")
	}
	if strings.Trim(s, "0123456789") == "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 65535 {
			return 0, fmt.Errorf("bad port '%s'", s)
		}
		return n, nil
	}
	if strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == "" {
		if n, err := net.LookupPort("tcp", s); err == nil && n > 0 {
			return n, nil
		}
	}
	return 0, fmt.Errorf("bad port '%s'", s)
}

// ParseJumpHops splits a ProxyJump value ("[user@]host[:port]" or
// "ssh://[user@]host[:port]" hops separated by commas, first hop first) into
// destinations, each to be resolved with its own configuration. "none" and
// the empty string yield no hops.
func ParseJumpHops(spec string) ([]Dest, error) {
	if spec == "" || strings.EqualFold(spec, "none") {
		return nil, nil
	}
	var hops []Dest
	for _, hop := range strings.Split(spec, ",") {
		d, err := parseJumpHop(hop)
		if err != nil {
			return nil, fmt.Errorf("ProxyJump %q: %w", spec, err)
		}
		hops = append(hops, d)
	}
	return hops, nil
}

// parseJumpHop parses one hop: an ssh:// URI or OpenSSH's
// parse_user_host_port syntax.
func parseJumpHop(s string) (Dest, error) {
	var d Dest
	if rest, ok := strings.CutPrefix(s, "ssh://"); ok {
		if at := strings.IndexByte(rest, '@'); at >= 0 {
			user, _, _ := strings.Cut(rest[:at], ";")
			if user == "" {
				return Dest{}, fmt.Errorf("hop %q: empty user name", s)
			}
			u, err := urlDecode(user)
			if err != nil {
				return Dest{}, fmt.Errorf("hop %q: %w", s, err)
			}
			d.User, rest = u, rest[at+1:]
		}
		host, delim, tail, err := splitHostPort(rest)
		if err != nil {
			return Dest{}, fmt.Errorf("hop %q: %w", s, err)
		}
		d.Host = cleanHostname(host)
		if delim == ':' {
			portStr, _, _ := strings.Cut(tail, "/")
			if d.Port, err = parsePort(portStr); err != nil {
				return Dest{}, fmt.Errorf("hop %q: %w", s, err)
			}
		}
		return d, checkHopHost(s, d.Host)
	}
	rest := s
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		if at == 0 {
			return Dest{}, fmt.Errorf("hop %q: empty user name", s)
		}
		d.User, rest = rest[:at], rest[at+1:]
	}
	host, _, tail, err := splitHostPort(rest)
	if err != nil {
		return Dest{}, fmt.Errorf("hop %q: %w", s, err)
	}
	d.Host = cleanHostname(host)
	if tail != "" {
		if d.Port, err = parsePort(tail); err != nil {
			return Dest{}, fmt.Errorf("hop %q: %w", s, err)
		}
	}
	return d, checkHopHost(s, d.Host)
}

func checkHopHost(hop, host string) error {
	if err := checkHost(host); err != nil {
		return fmt.Errorf("hop %q: %w", hop, err)
	}
	return nil
}

// formatJump renders a parsed ProxyJump value as ssh -G prints it: the hops
// before the last exactly as written, then the last hop normalised, with
// brackets around a host that is an address.
func formatJump(spec string, last Dest) string {
	var b strings.Builder
	if i := strings.LastIndexByte(spec, ','); i > 0 {
		b.WriteString(spec[:i])
		b.WriteByte(',')
	}
	if last.User != "" {
		b.WriteString(last.User + "@")
	}
	if strings.Contains(last.Host, ":") || strings.Trim(last.Host, "0123456789.") == "" {
		b.WriteString("[" + last.Host + "]")
	} else {
		b.WriteString(last.Host)
	}
	if last.Port > 0 {
		b.WriteString(":" + strconv.Itoa(last.Port))
	}
	return b.String()
}
