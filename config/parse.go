package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/kevinburke/ssh_config"
)

// parseConfig turns the text of one ssh_config file into its directives, in
// file order.
//
// kevinburke/ssh_config provides the structure: the Host blocks and the
// position of every keyword. It is used as a parser only, with two
// adjustments. Include lines are hidden from it, because it would read the
// included files itself, relative to the password database's home
// directory; the resolver reads them. Match lines are shown to it as Host
// lines, because it rejects most Match criteria; the resolver decides what to
// do with them. The values themselves are re-split with OpenSSH's own rules
// (argv_split: quotes anywhere, backslash escapes, '#' only at the start of a
// word, tabs between Host patterns), which the library does not follow.
// Should the library's view of a line ever disagree with OpenSSH's, the file
// is reported as unsupported rather than guessed at.
func parseConfig(path string, data []byte) ([]directive, error) {
	lines := strings.Split(string(data), "\n")
	byLine := make(map[int]directive)
	var headers, includes []directive
	var errs []error
	for i, text := range lines {
		d, ok, err := splitDirective(text)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s line %d: %w", path, i+1, err))
			lines[i] = ""
			continue
		}
		if !ok {
			continue
		}
		d.line = i + 1
		switch d.keyword {
		case "include":
			includes = append(includes, d)
			lines[i] = ""
		case "match":
			headers = append(headers, d)
			lines[i] = "Host ferry-match-block"
		case "host":
			headers = append(headers, d)
			byLine[d.line] = d
		default:
			byLine[d.line] = d
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	cfg, err := ssh_config.DecodeBytes([]byte(strings.Join(lines, "\n")))
	if err != nil {
		return nil, &unsupportedError{file: path, what: fmt.Sprintf("ssh_config parser: %v", err)}
	}
	if len(cfg.Hosts) != len(headers)+1 {
		return nil, &unsupportedError{file: path, what: fmt.Sprintf("ssh_config parser found %d Host/Match blocks, OpenSSH %d", len(cfg.Hosts)-1, len(headers))}
	}
	out := append(headers, includes...)
	for _, h := range cfg.Hosts {
		for _, n := range h.Nodes {
			kv, ok := n.(*ssh_config.KV)
			if !ok {
				continue
			}
			line := kv.Pos().Line
			d, found := byLine[line]
			if !found || d.keyword != strings.ToLower(kv.Key) {
				return nil, &unsupportedError{file: path, line: line, what: fmt.Sprintf("ssh_config parser read keyword %q differently", kv.Key)}
			}
			delete(byLine, line)
			out = append(out, d)
		}
	}
	for line, d := range byLine {
		if d.keyword != "host" {
			return nil, &unsupportedError{file: path, line: line, what: fmt.Sprintf("ssh_config parser missed keyword %q", d.keyword)}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].line < out[j].line })
	return out, nil
}
