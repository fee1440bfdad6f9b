package mirror

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
)

// Rule is one --include or --exclude pattern, in the order given.
type Rule struct {
	// Include is set for --include, clear for --exclude.
	Include bool
	// Pattern is the pattern as typed (see the package documentation).
	Pattern string
}

// Filter decides which entries a sync leaves out. The zero value and nil
// leave nothing out.
type Filter struct {
	rules []compiled
}

// compiled is a Rule ready to match.
type compiled struct {
	include bool
	dirOnly bool
	re      *regexp.Regexp
}

// NewFilter compiles rules; the first rule that matches an entry decides.
func NewFilter(rules []Rule) (*Filter, error) {
	f := &Filter{}
	for _, r := range rules {
		c, err := compile(r)
		if err != nil {
			return nil, err
		}
		f.rules = append(f.rules, c)
	}
	return f, nil
}

// Excluded reports whether the entry at rel (a path below the sync's
// root with "/" between elements) is left out. An excluded directory is
// left out with everything below it.
func (f *Filter) Excluded(rel string, isDir bool) bool {
	if f == nil {
		return false
	}
	for _, c := range f.rules {
		if c.dirOnly && !isDir {
			continue
		}
		if c.re.MatchString(rel) {
			return !c.include
		}
	}
	return false
}

// ReadRules reads patterns from r, one a line, as --exclude-from does:
// empty lines and lines starting with "#" or ";" are skipped. Each
// pattern becomes a Rule with include set as given.
func ReadRules(r io.Reader, include bool) ([]Rule, error) {
	var rules []Rule
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			continue
		}
		rules = append(rules, Rule{Include: include, Pattern: line})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read patterns: %w", err)
	}
	return rules, nil
}

// compile turns a pattern into a regular expression over relative paths.
func compile(r Rule) (compiled, error) {
	p := r.Pattern
	c := compiled{include: r.Include}
	if p == "" || p == "/" {
		return c, fmt.Errorf("empty pattern %q", r.Pattern)
	}
	anchored := strings.HasPrefix(p, "/")
	p = strings.TrimPrefix(p, "/")
	if strings.HasSuffix(p, "/") {
		c.dirOnly = true
		p = strings.TrimSuffix(p, "/")
	}
	// "dir/***" matches dir itself and everything below it.
	tail := ""
	if strings.HasSuffix(p, "/***") {
		p = strings.TrimSuffix(p, "/***")
		tail = "(?:/.*)?"
	}
	if _, err := path.Match(strings.ReplaceAll(p, "**", "*"), ""); err != nil {
		return c, fmt.Errorf("bad pattern %q: %w", r.Pattern, err)
	}
	body := globRegexp(p)
	prefix := "(?:^|/)"
	if anchored {
		prefix = "^"
	}
	re, err := regexp.Compile(prefix + body + tail + "$")
	if err != nil {
		return c, fmt.Errorf("bad pattern %q: %w", r.Pattern, err)
	}
	c.re = re
	return c, nil
}

// globRegexp translates a glob: "**" matches anything including "/",
// "*" anything but "/", "?" one character but "/", "[...]" a class
// ("[!...]" negated), and a backslash makes the next character literal.
func globRegexp(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		ch := p[i]
		switch {
		case ch == '*' && i+1 < len(p) && p[i+1] == '*':
			b.WriteString(".*")
			for i+1 < len(p) && p[i+1] == '*' {
				i++
			}
		case ch == '*':
			b.WriteString("[^/]*")
		case ch == '?':
			b.WriteString("[^/]")
		case ch == '\\' && i+1 < len(p):
			i++
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		case ch == '[':
			end := strings.IndexByte(p[i+1:], ']')
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := p[i+1 : i+1+end]
			if end == 0 { // "[]...]": a "]" first is literal
				if e2 := strings.IndexByte(p[i+2:], ']'); e2 >= 0 {
					class = p[i+1 : i+2+e2]
					end = e2 + 1
				}
			}
			i += end + 1
			neg := strings.HasPrefix(class, "!") || strings.HasPrefix(class, "^")
			if neg {
				class = class[1:]
			}
			class = strings.ReplaceAll(class, `\`, `\\`)
			class = strings.ReplaceAll(class, "[", `\[`)
			if neg {
				b.WriteString("[^/" + class + "]")
			} else {
				b.WriteString("[" + class + "]")
			}
		default:
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	return b.String()
}
