package config

import (
	"strconv"
	"strings"
)

// apply processes one directive as OpenSSH's process_config_line does:
// values are checked whether or not the current block applies, and stored
// only when it does and nothing was stored before. Configuration errors are
// recorded on e; the returned error is reserved for constructs that stop
// resolution (unsupported ones).
func (e *engine) apply(d directive, src source, active *bool) error {
	if d.rest == "" {
		e.errorf(src, "no argument after keyword %q", d.keyword)
		return nil
	}
	k := keywords[d.keyword]
	if k == kwUnknown {
		if e.s.ignoreUnknown.ok && matchPatternList(d.keyword, e.s.ignoreUnknown.v, true) == 1 {
			e.opts.logf("%s: Ignored unknown option %q", src, d.keyword)
			return nil
		}
		e.errorf(src, "Bad configuration option: %s", d.keyword)
		return nil
	}
	on := *active
	switch k {
	case kwHost:
		e.applyHost(d, src, active)
	case kwMatch:
		if src.cmdline {
			e.errorf(src, "Match directive not supported as a command-line option")
			return nil
		}
		return &unsupportedError{file: src.file, line: src.line, what: "Match blocks"}
	case kwInclude:
		if src.cmdline {
			e.errorf(src, "Include directive not supported as a command-line option")
			return nil
		}
		return e.include(d, src, active)
	case kwProxyJump:
		e.applyProxyJump(d.rawValue(), src, on)
	case kwProxyCommand:
		if on {
			e.s.proxyCommand.setFirst(d.rawValue())
		}
	case kwUserKnownHostsFile:
		e.applyList(d, src, on, &e.s.userKnownHostsFiles)
	case kwGlobalKnownHostsFile:
		e.applyList(d, src, on, &e.s.globalKnownHostsFiles)
	case kwDeprecated:
		e.opts.logf("%s: Deprecated option %q", src, d.keyword)
	case kwUnsupported:
		e.opts.logf("%s: Unsupported option %q", src, d.keyword)
	case kwOther:
	default:
		if len(d.args) == 0 || d.args[0] == "" {
			e.errorf(src, "Missing argument.")
			return nil
		}
		if len(d.args) > 1 {
			e.errorf(src, "keyword %s extra arguments at end of line", d.keyword)
			return nil
		}
		e.applySingle(k, d.keyword, d.args[0], src, on)
	}
	return nil
}

// applyHost evaluates a Host line against the alias as typed.
func (e *engine) applyHost(d directive, src source, active *bool) {
	if src.cmdline {
		e.errorf(src, "Host directive not supported as a command-line option")
		return
	}
	*active = false
	for _, p := range d.args {
		if p == "" {
			e.errorf(src, "keyword host empty argument")
			return
		}
	}
	if src.neverMatch {
		return
	}
	if p, ok := matchHostLine(e.alias, d.args); ok {
		*active = true
		e.opts.logf("%s: Applying options for %s", src, p)
	}
}

// applyProxyJump checks every hop and, if no ProxyJump or ProxyCommand was
// obtained yet, stores the chain (or "none") and, for a real chain, blocks
// any later ProxyCommand.
func (e *engine) applyProxyJump(value string, src source, on bool) {
	if i := strings.IndexByte(value, '#'); i >= 0 {
		value = value[:i]
	}
	value = strings.TrimRight(value, sshWhitespace)
	none := strings.EqualFold(value, "none")
	var hops []Dest
	if !none {
		var err error
		if hops, err = ParseJumpHops(value); err != nil || len(hops) == 0 {
			e.errorf(src, "Invalid ProxyJump %q", value)
			return
		}
	}
	if !on || e.s.proxyCommand.ok || e.s.proxyJump.ok {
		return
	}
	if none {
		e.s.proxyJump.setFirst("none")
		return
	}
	e.s.proxyJump.setFirst(formatJump(value, hops[len(hops)-1]))
	e.s.proxyCommand.setFirst("none")
}

// applyList handles UserKnownHostsFile and GlobalKnownHostsFile: a list
// taken whole from the first line that applies; "none" must stand alone.
func (e *engine) applyList(d directive, src source, on bool, dst *opt[[]string]) {
	if len(d.args) == 0 {
		e.errorf(src, "Missing argument.")
		return
	}
	for i, a := range d.args {
		if a == "" {
			e.errorf(src, "keyword %s empty argument", d.keyword)
			return
		}
		if strings.EqualFold(a, "none") && (i > 0 || len(d.args) > 1) {
			e.errorf(src, "keyword %s \"none\" argument must appear alone.", d.keyword)
			return
		}
	}
	if len(d.args) > maxKnownHostsFiles {
		e.errorf(src, "too many %s entries.", d.keyword)
		return
	}
	if on {
		dst.setFirst(append([]string(nil), d.args...))
	}
}

// applySingle handles the keywords that take exactly one argument.
func (e *engine) applySingle(k kw, keyword, arg string, src source, on bool) {
	str := func(o *opt[string]) {
		if on {
			o.setFirst(arg)
		}
	}
	flag := func(o *opt[bool]) {
		v, ok := parseFlag(arg)
		if !ok {
			e.errorf(src, "unsupported option %q.", arg)
		} else if on {
			o.setFirst(v)
		}
	}
	switch k {
	case kwHostName:
		str(&e.s.hostName)
	case kwUser:
		str(&e.s.user)
	case kwHostKeyAlias:
		str(&e.s.hostKeyAlias)
	case kwPreferredAuthentications:
		str(&e.s.preferredAuth)
	case kwIgnoreUnknown:
		str(&e.s.ignoreUnknown)
	case kwPort:
		p, err := parsePort(arg)
		if err != nil {
			e.errorf(src, "Bad port '%s'.", arg)
		} else if on {
			e.s.port.setFirst(p)
		}
	case kwIdentityFile, kwCertificateFile:
		if !on {
			return
		}
		class := fromSystemFile
		if src.userConf {
			class = fromUserFile
		}
		list := &e.s.identityFiles
		if k == kwCertificateFile {
			list = &e.s.certificateFiles
		}
		var ok bool
		if *list, ok = addPath(*list, arg, class); !ok {
			e.errorf(src, "Too many %s files specified (max %d).", keyword, maxPathEntries)
		}
	case kwIdentityAgent:
		e.applyIdentityAgent(arg, src, on)
	case kwIdentitiesOnly:
		flag(&e.s.identitiesOnly)
	case kwHashKnownHosts:
		flag(&e.s.hashKnownHosts)
	case kwPasswordAuthentication:
		flag(&e.s.passwordAuth)
	case kwKbdInteractiveAuthentication:
		flag(&e.s.kbdInteractiveAuth)
	case kwBatchMode:
		flag(&e.s.batchMode)
	case kwFlag:
		var ignored opt[bool]
		flag(&ignored)
	case kwConnectTimeout, kwServerAliveInterval:
		dst := &e.s.connectTimeout
		if k == kwServerAliveInterval {
			dst = &e.s.serverAliveInterval
		}
		if arg == "none" {
			return // "none" leaves the setting open for later lines
		}
		secs, ok := convTime(arg)
		if !ok {
			e.errorf(src, "invalid time value.")
		} else if on {
			dst.setFirst(secs)
		}
	case kwServerAliveCountMax:
		n, err := strconv.Atoi(arg)
		if err != nil || n < 0 || strings.Trim(arg, "0123456789") != "" {
			e.errorf(src, "Bad number '%s'", arg)
		} else if on {
			e.s.serverAliveCountMax.setFirst(n)
		}
	case kwStrictHostKeyChecking:
		v, ok := ParseStrict(arg)
		if !ok {
			e.errorf(src, "unsupported option %q.", arg)
		} else if on {
			e.s.strictHostKeyChecking.setFirst(v)
		}
	case kwCanonicalizeHostname:
		switch strings.ToLower(arg) {
		case "yes", "true", "no", "false", "always":
			if on && !e.s.canonicalize.ok {
				e.s.canonicalize.setFirst(strings.ToLower(arg))
				e.s.canonicalizeAt = src
			}
		default:
			e.errorf(src, "unsupported option %q.", arg)
		}
	case kwCiphers, kwKexAlgorithms, kwMACs, kwHostKeyAlgorithms:
		set, dst := algorithmFor(k, &e.s)
		if err := set.validate(arg); err != nil {
			e.errorf(src, "%v.", err)
		} else if on {
			dst.setFirst(arg)
		}
	}
}

// applyIdentityAgent checks ${VAR} references and the legacy $VAR form at
// parse time, as readconf.c does, and stores the value as written.
func (e *engine) applyIdentityAgent(arg string, src source, on bool) {
	if _, err := expandTokens(strings.ReplaceAll(arg, "%", "%%"), nil, e.opts.getenv); err != nil {
		e.errorf(src, "Invalid environment expansion %s.", arg)
		return
	}
	if strings.HasPrefix(arg, "$") && !strings.HasPrefix(arg, "${") && !validEnvName(arg[1:]) {
		e.errorf(src, "Invalid environment name %s.", arg)
		return
	}
	if on {
		e.s.identityAgent.setFirst(arg)
	}
}

// algorithmFor returns the algorithm set and setting for an algorithm keyword.
func algorithmFor(k kw, s *settings) (algorithmSet, *opt[string]) {
	switch k {
	case kwCiphers:
		return cipherSet, &s.ciphers
	case kwKexAlgorithms:
		return kexSet, &s.kexAlgorithms
	case kwMACs:
		return macSet, &s.macs
	default:
		return hostKeySet, &s.hostKeyAlgorithms
	}
}

// parseFlag accepts OpenSSH's yes/no/true/false, in any case.
func parseFlag(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "yes", "true":
		return true, true
	case "no", "false":
		return false, true
	}
	return false, false
}

// ParseStrict maps a StrictHostKeyChecking value, in any case, to yes, no,
// ask or accept-new; ok is false for a value OpenSSH does not accept.
func ParseStrict(s string) (string, bool) {
	switch strings.ToLower(s) {
	case "yes", "true":
		return "yes", true
	case "no", "false", "off":
		return "no", true
	case "ask":
		return "ask", true
	case "accept-new":
		return "accept-new", true
	}
	return "", false
}

// convTime is OpenSSH's convtime: a sequence of numbers each optionally
// followed by s, m, h, d or w (in either case); the result is in seconds.
func convTime(s string) (int, bool) {
	const maxInt32 = 1<<31 - 1
	if s == "" {
		return 0, false
	}
	total := 0
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, false
		}
		n, err := strconv.Atoi(s[:i])
		if err != nil {
			return 0, false
		}
		mult := 1
		s = s[i:]
		if s != "" {
			switch s[0] {
			case 's', 'S':
			case 'm', 'M':
				mult = 60
			case 'h', 'H':
				mult = 3600
			case 'd', 'D':
				mult = 86400
			case 'w', 'W':
				mult = 604800
			default:
				return 0, false
			}
			s = s[1:]
		}
		if n > maxInt32/mult || total > maxInt32-n*mult {
			return 0, false
		}
		total += n * mult
	}
	return total, true
}

// validEnvName reports whether s is a valid environment variable name.
func validEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
