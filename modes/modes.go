// Package modes parses the permission changes chmod takes: octal modes
// ("644", "2755") and symbolic ones ("u+x", "go-w", "a=r", "u+x,go-w",
// "g=u", "a+X") and applies them to a file's mode. It is a leaf: it imports
// nothing of ferry's.
package modes

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// Who bits, as chmod's u, g and o select them.
const (
	whoUser  = 0o4700 // rwx of the owner and set-user-id
	whoGroup = 0o2070 // rwx of the group and set-group-id
	whoOther = 0o0007 // rwx of the others
	whoAll   = whoUser | whoGroup | whoOther | 0o1000
)

// Change is a parsed chmod mode: either an absolute octal mode or a list
// of symbolic clauses, applied in order.
type Change struct {
	octal   bool
	abs     uint32 // the octal mode, when octal
	clauses []clause
}

// clause is one symbolic action: who, an operator and what.
type clause struct {
	who  uint32 // mask of the bits the clause may touch
	op   byte   // '+', '-' or '='
	perm string // letters from rwxXst, or one of u, g, o (copy)
}

// Error says what is wrong with a mode the user typed.
type Error struct {
	// Mode is what was typed.
	Mode string
	// Reason says what is wrong, in words.
	Reason string
}

// Error implements error.
func (e *Error) Error() string {
	if e.Mode == "" {
		return e.Reason
	}
	return "mode " + strconv.Quote(e.Mode) + ": " + e.Reason
}

// hint is the tail of every error: what a valid mode looks like.
const hint = "give octal (644, 0755) or symbolic modes like u+x, go-w, a=r or u+x,go-w"

// Parse parses s, an octal or a symbolic mode. A symbolic clause is
// [ugoa]*[+-=][rwxXst]* or [ugoa]*[+-=][ugo]; clauses are joined by commas.
// A clause without u, g, o or a acts on all three, as chmod does with a
// umask of 0 (an SFTP server cannot tell ferry its umask).
func Parse(s string) (Change, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Change{}, &Error{Reason: "no mode given; " + hint}
	}
	if s[0] >= '0' && s[0] <= '9' {
		v, err := strconv.ParseUint(s, 8, 32)
		if err != nil || v > 0o7777 {
			return Change{}, &Error{Mode: s, Reason: "octal modes are 1 to 4 digits from 0 to 7, like 644 or 0755"}
		}
		return Change{octal: true, abs: uint32(v)}, nil
	}
	var c Change
	parts := strings.Split(s, ",")
	for _, part := range parts {
		cl, err := parseClause(part)
		if err != nil {
			reason := err.Error()
			if len(parts) > 1 && part != "" {
				reason = "in " + strconv.Quote(part) + ": " + reason
			}
			return Change{}, &Error{Mode: s, Reason: reason}
		}
		c.clauses = append(c.clauses, cl...)
	}
	return c, nil
}

// parseClause parses one comma-separated part: who letters, then one or
// more operator and permission groups ("u+x-w").
func parseClause(part string) ([]clause, error) {
	if part == "" {
		return nil, fmt.Errorf("empty clause between commas; %s", hint)
	}
	i, who := 0, uint32(0)
	for ; i < len(part) && strings.IndexByte("ugoa", part[i]) >= 0; i++ {
		switch part[i] {
		case 'u':
			who |= whoUser
		case 'g':
			who |= whoGroup
		case 'o':
			who |= whoOther
		case 'a':
			who |= whoAll
		}
	}
	if who == 0 {
		who = whoAll
	}
	if i == len(part) {
		return nil, fmt.Errorf("no operator (+, - or =) after who; %s", hint)
	}
	var out []clause
	for i < len(part) {
		op := part[i]
		if op != '+' && op != '-' && op != '=' {
			return nil, fmt.Errorf("unexpected %q where +, - or = belongs; %s", op, hint)
		}
		i++
		j := i
		for j < len(part) && part[j] != '+' && part[j] != '-' && part[j] != '=' {
			j++
		}
		perm := part[i:j]
		if err := checkPerm(perm); err != nil {
			return nil, err
		}
		out = append(out, clause{who: who, op: op, perm: perm})
		i = j
	}
	return out, nil
}

// checkPerm accepts letters from rwxXst, or exactly one of u, g, o.
func checkPerm(perm string) error {
	if perm == "u" || perm == "g" || perm == "o" {
		return nil
	}
	for k := 0; k < len(perm); k++ {
		if strings.IndexByte("rwxXst", perm[k]) < 0 {
			if strings.IndexByte("ugo", perm[k]) >= 0 {
				return fmt.Errorf("copy from u, g or o alone (like g=u), not mixed with other letters; %s", hint)
			}
			return fmt.Errorf("%q is not a permission (r, w, x, X, s, t); %s", perm[k], hint)
		}
	}
	return nil
}

// Apply returns mode changed as c says. Only the permission, set-id and
// sticky bits change; the type bits of mode are kept. X adds execute
// when mode is a directory or already has an execute bit.
func (c Change) Apply(mode fs.FileMode) fs.FileMode {
	cur := toUnix(mode)
	if c.octal {
		cur = c.abs
	} else {
		for _, cl := range c.clauses {
			cur = cl.apply(cur, mode.IsDir())
		}
	}
	return mode&^(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky) | fromUnix(cur)
}

// IsOctal reports whether c is an absolute octal mode.
func (c Change) IsOctal() bool { return c.octal }

// apply applies one clause to the Unix mode bits cur.
func (cl clause) apply(cur uint32, dir bool) uint32 {
	var bits uint32
	switch cl.perm {
	case "u":
		bits = spread((cur >> 6) & 7)
	case "g":
		bits = spread((cur >> 3) & 7)
	case "o":
		bits = spread(cur & 7)
	default:
		for k := 0; k < len(cl.perm); k++ {
			switch cl.perm[k] {
			case 'r':
				bits |= 0o444
			case 'w':
				bits |= 0o222
			case 'x':
				bits |= 0o111
			case 'X':
				if dir || cur&0o111 != 0 {
					bits |= 0o111
				}
			case 's':
				bits |= 0o6000
			case 't':
				bits |= 0o1000
			}
		}
	}
	bits &= cl.who
	switch cl.op {
	case '+':
		cur |= bits
	case '-':
		cur &^= bits
	case '=':
		// = clears the rwx of who (and the set-id bits, except that, as
		// GNU chmod does, a directory keeps them unless named).
		clear := cl.who & 0o1777
		if !dir {
			clear = cl.who & 0o7777
		}
		cur = cur&^clear | bits
	}
	return cur
}

// spread copies three rwx bits to user, group and other.
func spread(rwx uint32) uint32 { return rwx<<6 | rwx<<3 | rwx }

// toUnix returns the Unix permission bits of m (0 to 07777).
func toUnix(m fs.FileMode) uint32 {
	v := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		v |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		v |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		v |= 0o1000
	}
	return v
}

// fromUnix returns the fs.FileMode bits of Unix permission bits v.
func fromUnix(v uint32) fs.FileMode {
	m := fs.FileMode(v & 0o777)
	if v&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if v&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if v&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	return m
}

// Octal renders the permission bits of m as chmod takes them: "644",
// "2755".
func Octal(m fs.FileMode) string { return fmt.Sprintf("%03o", toUnix(m)) }
