package knownhosts

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/ssh"
)

// This file reads and writes known_hosts the way OpenSSH's hostfile.c and
// match.c do. It does not use x/crypto/ssh/knownhosts (nor skeema's
// wrapper of it) for lookups: that package fails a whole file on one bad
// line, matches "[host]:port" patterns by host and port instead of as one
// string, is case-sensitive, treats @revoked as global, and lacks
// OpenSSH's fallback to the bare host name for a non-standard port.
// Reading each line on its own lets a malformed line be skipped with a
// warning naming its file:line while every other line keeps its number.

// lineMarker is a known_hosts line's marker.
type lineMarker uint8

const (
	markerNone    lineMarker = iota // no marker: a host key
	markerCA                        // @cert-authority
	markerRevoked                   // @revoked
)

// hashMagic starts a hashed host name (HashKnownHosts yes).
const hashMagic = "|1|"

// entry is one valid known_hosts line.
type entry struct {
	file   string
	line   int
	marker lineMarker
	// patterns is the comma-separated host pattern list, when not hashed.
	patterns string
	// salt and hash are set for a hashed name: hash is the base64 text
	// after the salt, compared as text, as OpenSSH does.
	salt []byte
	hash string
	key  ssh.PublicKey
}

// matches reports whether the entry's host field matches name, which must
// already be in lower case: a hashed name by HMAC-SHA1, patterns as
// OpenSSH's match_hostname (case-insensitive, '*' and '?' wildcards,
// '!' negation, the whole "[host]:port" string at once).
func (e *entry) matches(name string) bool {
	if e.salt != nil {
		mac := hmac.New(sha1.New, e.salt)
		mac.Write([]byte(name))
		return base64.StdEncoding.EncodeToString(mac.Sum(nil)) == e.hash
	}
	return matchPatternList(name, e.patterns) == 1
}

// store is the valid entries of the known_hosts files, in the order OpenSSH
// reads them: user files first, then global ones, each top to bottom.
type store struct {
	entries []*entry
}

// matching returns the entries whose host field matches name, in order.
func (db *store) matching(name string) []*entry {
	var out []*entry
	for _, e := range db.entries {
		if e.matches(name) {
			out = append(out, e)
		}
	}
	return out
}

// readFiles reads files into a store. A missing file is empty, as in
// OpenSSH. A file that cannot be read, and every malformed line, is
// reported through warn and skipped (OpenSSH does the same, silently
// unless debugging).
func readFiles(files []string, warn func(key, msg string)) *store {
	db := &store{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			warn("read:"+file, fmt.Sprintf("known_hosts: cannot read %s, treating it as empty: %v", file, err))
			continue
		}
		lines := strings.Split(string(data), "\n")
		for i, text := range lines {
			if i == len(lines)-1 && text == "" {
				break // after the final newline
			}
			e, err := parseLine(text)
			if err != nil {
				warn(fmt.Sprintf("line:%s:%d:%s", file, i+1, text),
					fmt.Sprintf("known_hosts: %s:%d: %v; line skipped", file, i+1, err))
				continue
			}
			if e == nil {
				continue // blank or comment
			}
			e.file, e.line = file, i+1
			db.entries = append(db.entries, e)
		}
	}
	return db
}

// nextField splits s (which starts at a field) into the field and the
// rest after the white space that follows it.
func nextField(s string) (field, rest string) {
	i := strings.IndexFunc(s, func(r rune) bool { return r == ' ' || r == '\t' })
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeft(s[i:], " \t")
}

// parseLine parses one line of a known_hosts file. It returns a
// nil entry and no error for a blank or comment line, and an error saying
// what is wrong with a malformed one: an unknown or repeated marker, no
// key after the host names, a bad hashed name, or a key OpenSSH (or
// x/crypto) cannot read.
func parseLine(text string) (*entry, error) {
	text = strings.TrimSuffix(text, "\r")
	s := strings.TrimLeft(text, " \t")
	if s == "" || s[0] == '#' {
		return nil, nil
	}
	e := &entry{marker: markerNone}
	for s != "" && s[0] == '@' {
		marker, rest := nextField(s)
		if rest == "" {
			return nil, fmt.Errorf("marker %q is not followed by host names", marker)
		}
		if e.marker != markerNone {
			return nil, fmt.Errorf("more than one marker (%q)", marker)
		}
		switch marker {
		case "@cert-authority":
			e.marker = markerCA
		case "@revoked":
			e.marker = markerRevoked
		default:
			return nil, fmt.Errorf("unknown marker %q", marker)
		}
		s = rest
	}
	hosts, rest := nextField(s)
	if hosts == "" || rest == "" || rest[0] == '#' {
		return nil, errors.New("no key after the host names")
	}
	if hosts[0] == '|' {
		salt, hash, err := parseHashedName(hosts)
		if err != nil {
			return nil, err
		}
		e.salt, e.hash = salt, hash
	} else {
		e.patterns = hosts
	}
	keyType, rest := nextField(rest)
	blob, _ := nextField(rest)
	if blob == "" {
		return nil, fmt.Errorf("no key data after key type %q", keyType)
	}
	raw, err := base64.StdEncoding.DecodeString(blob)
	if err != nil {
		return nil, fmt.Errorf("%s key: bad base64: %v", keyType, err)
	}
	key, err := ssh.ParsePublicKey(raw)
	if err != nil {
		return nil, fmt.Errorf("%s key: %v", keyType, err)
	}
	if key.Type() != keyType {
		return nil, fmt.Errorf("key type %q does not match the key, which is %q", keyType, key.Type())
	}
	if _, ok := key.(*ssh.Certificate); ok {
		return nil, fmt.Errorf("a certificate (%s) where a key belongs", keyType)
	}
	e.key = key
	return e, nil
}

// parseHashedName splits "|1|SALT|HASH" into the decoded salt and the
// hash text, with OpenSSH's checks (hostfile.c extract_salt): magic "|1|"
// and a salt of exactly 20 bytes.
func parseHashedName(s string) (salt []byte, hash string, err error) {
	rest, ok := strings.CutPrefix(s, hashMagic)
	if !ok {
		return nil, "", fmt.Errorf("bad hashed host name %.32q: it must start with %q", s, hashMagic)
	}
	b64salt, hash, ok := strings.Cut(rest, "|")
	if !ok || b64salt == "" {
		return nil, "", fmt.Errorf("bad hashed host name %.32q: no salt", s)
	}
	salt, err = base64.StdEncoding.DecodeString(b64salt)
	if err != nil || len(salt) != sha1.Size {
		return nil, "", fmt.Errorf("bad hashed host name %.32q: the salt must be %d bytes of base64", s, sha1.Size)
	}
	return salt, hash, nil
}

// maxSubpattern is the size of OpenSSH's subpattern buffer: a longer
// subpattern makes the whole list fail to match.
const maxSubpattern = 1024

// matchPatternList is OpenSSH's match_pattern_list(s, list, 1): 1 if s
// matches a subpattern of the comma-separated list and no negated
// ("!pattern") one, -1 if a negated one matches, 0 otherwise. Patterns are
// lowercased (ASCII only); s must be lowercased by the caller.
func matchPatternList(s, list string) int {
	positive := false
	for i := 0; i < len(list); {
		negated := false
		if list[i] == '!' {
			negated = true
			i++
		}
		j := i
		for j < len(list) && list[j] != ',' {
			j++
		}
		sub := list[i:j]
		if len(sub) >= maxSubpattern-1 {
			return 0
		}
		if j < len(list) {
			j++ // the comma
		}
		i = j
		if matchPattern(s, asciiLower(sub)) {
			if negated {
				return -1
			}
			positive = true
		}
	}
	if positive {
		return 1
	}
	return 0
}

// matchPattern is OpenSSH's match_pattern: '*' matches any run of bytes
// (including none), '?' any one byte, anything else itself.
func matchPattern(s, pat string) bool {
	// Iterative matching with one backtrack point for the last '*'.
	si, pi := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(pat) && (pat[pi] == '?' || pat[pi] == s[si]):
			si++
			pi++
		case pi < len(pat) && pat[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(pat) && pat[pi] == '*' {
		pi++
	}
	return pi == len(pat)
}

// asciiLower lowercases ASCII letters only, as OpenSSH's lowercase() and
// tolower() in the C locale do.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// hostPort is OpenSSH's put_host_port: host alone for port 22 (or 0),
// else "[host]:port".
func hostPort(host string, port int) string {
	if port == 0 || port == 22 {
		return host
	}
	return fmt.Sprintf("[%s]:%d", host, port)
}

// validateRecordHost checks a host name (or HostKeyAlias) before it is
// written to known_hosts, where it must stay one literal name: no white
// space, control or format characters (a line break would forge a second
// entry, a bidi override would disguise the name), no comma (it separates
// names), no '#' (a comment), no '*' or '?' (wildcards that would match
// other hosts), no brackets (the port form is ferry's to add), no leading
// '!', '@' or '|' (negation, a marker, a hashed name), valid UTF-8 and not
// empty.
func validateRecordHost(host string) error {
	if host == "" {
		return errors.New("empty host name")
	}
	if !utf8.ValidString(host) {
		return fmt.Errorf("host name %q is not valid UTF-8", host)
	}
	for _, r := range host {
		if r <= ' ' || r == 0x7f || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return fmt.Errorf("host name %q contains white space, a control or a format character", host)
		}
		if strings.ContainsRune(",#*?[]", r) {
			return fmt.Errorf("host name %q contains %q, which known_hosts would not read as part of one name", host, r)
		}
	}
	if strings.ContainsAny(host[:1], "!@|") {
		return fmt.Errorf("host name %q starts with %q, which known_hosts would read as syntax", host, host[:1])
	}
	return nil
}

// appendLine appends line (which ends in a newline) to path in
// a single write, creating the file with mode 0600 and its directory with
// mode 0700 when missing. A newline goes first if the file does not end
// with one, so the new entry never joins the last line.
func appendLine(path, line string) (err error) {
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	data := []byte(line)
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if size := fi.Size(); size > 0 {
		var last [1]byte
		if _, err := f.ReadAt(last[:], size-1); err != nil {
			return err
		}
		if last[0] != '\n' {
			data = append([]byte{'\n'}, data...)
		}
	}
	n, err := f.Write(data)
	if err == nil && n < len(data) {
		err = io.ErrShortWrite
	}
	return err
}

// keysEqual reports whether two keys are the same key.
func keysEqual(a, b ssh.PublicKey) bool {
	return bytes.Equal(a.Marshal(), b.Marshal())
}
