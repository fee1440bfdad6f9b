package config

import "strings"

// matchPattern reports whether s matches the OpenSSH glob pattern, where '*'
// matches any run of bytes and '?' exactly one byte. Matching is
// case-sensitive, as in OpenSSH's match_pattern.
func matchPattern(s, pattern string) bool {
	for {
		if pattern == "" {
			return s == ""
		}
		if pattern[0] == '*' {
			pattern = strings.TrimLeft(pattern, "*")
			if pattern == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if matchPattern(s[i:], pattern) {
					return true
				}
			}
			return false
		}
		if s == "" {
			return false
		}
		if pattern[0] != '?' && pattern[0] != s[0] {
			return false
		}
		s, pattern = s[1:], pattern[1:]
	}
}

// matchPatternList is OpenSSH's match_pattern_list: list is a comma-separated
// list of patterns, each optionally negated with '!'. It returns 1 for a
// positive match, -1 when a negated pattern matches and 0 otherwise. With
// lower set, the patterns are lowercased before matching.
func matchPatternList(s, list string, lower bool) int {
	got := 0
	for _, sub := range strings.Split(list, ",") {
		negated := strings.HasPrefix(sub, "!")
		if negated {
			sub = sub[1:]
		}
		if lower {
			sub = strings.ToLower(sub)
		}
		if matchPattern(s, sub) {
			if negated {
				return -1
			}
			got = 1
		}
	}
	return got
}

// matchHostLine applies a Host line's patterns to the alias as OpenSSH does:
// the block applies when some pattern matches and no negated pattern does.
// It returns the first pattern that matched, for the debug log.
func matchHostLine(alias string, patterns []string) (matched string, ok bool) {
	for _, p := range patterns {
		negated := strings.HasPrefix(p, "!")
		if negated {
			p = p[1:]
		}
		if !matchPattern(alias, p) {
			continue
		}
		if negated {
			return "", false
		}
		if !ok {
			matched, ok = p, true
		}
	}
	return matched, ok
}
