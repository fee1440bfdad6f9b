package config

import (
	"path/filepath"
	"sort"
	"strings"
)

// globFiles expands an Include pattern like glibc's glob(3), which OpenSSH
// uses: results are sorted, a wildcard never matches a leading '.', and
// "[!...]" negates a character class. A pattern matching nothing yields no
// files and no error.
func globFiles(pattern string) ([]string, error) {
	goPattern := strings.ReplaceAll(pattern, "[!", "[^")
	matches, err := filepath.Glob(goPattern)
	if err != nil {
		return nil, err
	}
	patParts := strings.Split(filepath.Clean(pattern), string(filepath.Separator))
	var out []string
	for _, m := range matches {
		if !hiddenByWildcard(patParts, strings.Split(m, string(filepath.Separator))) {
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out, nil
}

// hiddenByWildcard reports whether some path element starting with '.' was
// matched by a pattern element that does not itself start with '.'.
func hiddenByWildcard(patParts, parts []string) bool {
	if len(patParts) != len(parts) {
		return false
	}
	for i, p := range parts {
		if strings.HasPrefix(p, ".") && !strings.HasPrefix(patParts[i], ".") && strings.ContainsAny(patParts[i], "*?[") {
			return true
		}
	}
	return false
}
