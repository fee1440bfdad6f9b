package settings

import (
	"errors"
	"strings"
)

// patterns splits an OpenSSH-style pattern list at spaces and commas.
func patterns(list string) []string {
	return strings.FieldsFunc(list, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
}

// checkPatterns refuses a list with an empty negation.
func checkPatterns(list string) error {
	for _, p := range patterns(list) {
		if p == "!" {
			return errors.New(`"!" must be followed by a pattern`)
		}
	}
	return nil
}

// MatchHost reports whether alias matches the pattern list as an OpenSSH
// Host line does: some pattern matches and no negated one does. Case
// matters not.
func MatchHost(alias, list string) bool {
	alias = strings.ToLower(alias)
	matched := false
	for _, p := range patterns(list) {
		neg := strings.HasPrefix(p, "!")
		p = strings.ToLower(strings.TrimPrefix(p, "!"))
		if !glob(alias, p) {
			continue
		}
		if neg {
			return false
		}
		matched = true
	}
	return matched
}

// glob matches s against a pattern of * (any run) and ? (one character).
func glob(s, p string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for i := len(s); i >= 0; i-- {
				if glob(s[i:], p[1:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			s, p = s[1:], p[1:]
		default:
			if s == "" || s[0] != p[0] {
				return false
			}
			s, p = s[1:], p[1:]
		}
	}
	return s == ""
}

// checkColor accepts "#rgb", "#rrggbb" or an ANSI colour number 0-255.
func checkColor(v string) error {
	if strings.HasPrefix(v, "#") {
		h := v[1:]
		if len(h) == 3 || len(h) == 6 {
			ok := true
			for _, c := range h {
				ok = ok && strings.ContainsRune("0123456789abcdefABCDEF", c)
			}
			if ok {
				return nil
			}
		}
	} else if n, err := atoiStrict(v); err == nil && n >= 0 && n <= 255 {
		return nil
	}
	return errors.New(`"` + v + `" is not a colour: want "#rrggbb", "#rgb" or an ANSI number 0 to 255`)
}

func atoiStrict(s string) (int, error) {
	if s == "" || len(s) > 3 {
		return 0, errors.New("not a number")
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, errors.New("not a number")
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}
