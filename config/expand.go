package config

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"
)

// tokens maps the letter of a % token to its value.
type tokens map[byte]string

// expandTilde expands a leading ~ the way OpenSSH's tilde_expand does: "~"
// and "~/" become the home directory with a trailing slash, "~/x" becomes
// home/x. "~user" is accepted only for the local user, since resolving other
// users would mean reading the password database.
func expandTilde(path, home, localUser string) (string, error) {
	if !strings.HasPrefix(path, "~") {
		return path, nil
	}
	rest := path[1:]
	if rest != "" && rest[0] != '/' {
		user, tail, _ := strings.Cut(rest, "/")
		if user != localUser || localUser == "" {
			return "", fmt.Errorf("expand %q: ~%s: only the local user's ~ can be expanded", path, user)
		}
		rest = "/" + tail
	}
	if home == "" {
		return "", fmt.Errorf("expand %q: home directory unknown", path)
	}
	rest = strings.TrimLeft(rest, "/")
	return strings.TrimRight(home, "/") + "/" + rest, nil
}

// expandTokens is OpenSSH's percent_dollar_expand: "%%" is a literal '%',
// "%x" is replaced from t (an unknown letter is an error) and, when getenv is
// not nil, "${VAR}" is replaced by the variable's value (an unset or empty
// variable is an error).
func expandTokens(s string, t tokens, getenv func(string) string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if getenv != nil && c == '$' && i+1 < len(s) && s[i+1] == '{' {
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return "", fmt.Errorf("expand %q: environment variable missing closing '}'", s)
			}
			name := s[i+2 : i+2+end]
			if name == "" {
				return "", fmt.Errorf("expand %q: zero-length environment variable", s)
			}
			val := getenv(name)
			if val == "" {
				return "", fmt.Errorf("expand %q: environment variable ${%s} has no value", s, name)
			}
			b.WriteString(val)
			i += 2 + end
			continue
		}
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", fmt.Errorf("expand %q: '%%' at end of string", s)
		}
		if s[i] == '%' {
			b.WriteByte('%')
			continue
		}
		val, ok := t[s[i]]
		if !ok {
			return "", fmt.Errorf("expand %q: unknown token %%%c", s, s[i])
		}
		b.WriteString(val)
	}
	return b.String(), nil
}

// connectionHash is OpenSSH's %C: the SHA-1 of local host name, remote host
// name, port and remote user, in hex.
func connectionHash(localHost, host, port, user string) string {
	sum := sha1.Sum([]byte(localHost + host + port + user))
	return hex.EncodeToString(sum[:])
}
