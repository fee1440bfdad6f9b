package config

import (
	"errors"
	"strings"
)

// directive is one non-empty, non-comment line of an ssh_config file, split
// the way OpenSSH's readconf.c splits it.
type directive struct {
	line    int      // 1-based line number; 0 for command-line options
	keyword string   // lowercased keyword
	rest    string   // text after the keyword and its separator, for raw keywords such as ProxyCommand
	args    []string // rest split by OpenSSH's argv_split (quotes and escapes removed)
}

// errInvalidQuotes is returned by splitArgs for an unterminated quote.
var errInvalidQuotes = errors.New("invalid quotes")

const sshWhitespace = " \t\r\n"

// splitDirective splits one configuration line. It returns ok == false for
// blank and comment lines. A line with a keyword but no argument is reported
// with an empty rest, which callers turn into OpenSSH's "no argument" error.
func splitDirective(text string) (d directive, ok bool, err error) {
	text = strings.TrimRight(text, sshWhitespace+"\f")
	text = strings.TrimLeft(text, sshWhitespace)
	if text == "" || text[0] == '#' {
		return directive{}, false, nil
	}
	var keyword, rest string
	if text[0] == '"' {
		end := strings.IndexByte(text[1:], '"')
		if end < 0 {
			return directive{}, false, errInvalidQuotes
		}
		keyword = text[1 : end+1]
		rest = strings.TrimLeft(text[end+2:], sshWhitespace)
	} else {
		i := strings.IndexAny(text, sshWhitespace+"\"=")
		if i < 0 {
			keyword = text
		} else {
			keyword = text[:i]
			sep := text[i]
			rest = text[i:]
			if sep != '"' {
				rest = strings.TrimLeft(rest[1:], sshWhitespace)
				// OpenSSH skips at most one '=' between keyword and value.
				if sep != '=' && strings.HasPrefix(rest, "=") {
					rest = strings.TrimLeft(rest[1:], sshWhitespace)
				}
			}
		}
	}
	if keyword == "" {
		return directive{}, false, nil
	}
	d = directive{keyword: strings.ToLower(keyword), rest: rest}
	if rest == "" {
		return d, true, nil
	}
	d.args, err = splitArgs(rest)
	return d, true, err
}

// splitArgs is OpenSSH's argv_split with comment termination: words are
// separated by spaces or tabs, single and double quotes group words, a
// backslash escapes a quote, a backslash or (outside quotes) a space, and a
// '#' at the start of a word ends the line.
func splitArgs(s string) ([]string, error) {
	var args []string
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\t' {
			continue
		}
		if s[i] == '#' {
			break
		}
		var arg strings.Builder
		var quote byte
	scan:
		for ; i < len(s); i++ {
			c := s[i]
			switch {
			case c == '\\' && i+1 < len(s) && (s[i+1] == '\'' || s[i+1] == '"' || s[i+1] == '\\' || (quote == 0 && s[i+1] == ' ')):
				i++
				arg.WriteByte(s[i])
			case quote == 0 && (c == ' ' || c == '\t'):
				break scan
			case quote == 0 && (c == '"' || c == '\''):
				quote = c
			case quote != 0 && c == quote:
				quote = 0
			default:
				arg.WriteByte(c)
			}
		}
		if quote != 0 {
			return nil, errInvalidQuotes
		}
		args = append(args, arg.String())
	}
	return args, nil
}

// rawValue returns a directive's text the way OpenSSH's parse_command keeps
// it for ProxyCommand: the rest of the line with leading blanks and '='
// removed and nothing unquoted.
func (d directive) rawValue() string {
	return strings.TrimLeft(d.rest, sshWhitespace+"=")
}
