package config

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sshTimeout bounds the ssh -G fallback (Match exec runs commands).
const sshTimeout = 30 * time.Second

// sshGArgs builds the ssh -G command line equivalent to dest and opts. The
// order reproduces Resolve's precedence: -l for the destination's user (it
// beats -o User), -p, -J, -i, -o, and the destination's port last, as an -o
// so that earlier -o Port options win over it as they do over a URL port.
func sshGArgs(dest Dest, opts *Options) []string {
	args := []string{"-G"}
	switch {
	case opts.UserConfig == "" || strings.EqualFold(opts.UserConfig, "none"):
		args = append(args, "-F", "none")
	case opts.UserConfigRequired || opts.SystemConfig == "":
		args = append(args, "-F", opts.UserConfig)
	}
	if dest.User != "" {
		args = append(args, "-l", dest.User)
	}
	if opts.Port != 0 {
		args = append(args, "-p", strconv.Itoa(opts.Port))
	}
	if opts.Jump != "" {
		args = append(args, "-J", opts.Jump)
	}
	for _, id := range opts.Identities {
		args = append(args, "-i", id)
	}
	for _, o := range opts.Overrides {
		args = append(args, "-o", o)
	}
	if dest.Port != 0 {
		args = append(args, "-o", "Port="+strconv.Itoa(dest.Port))
	}
	return append(args, "--", dest.Host)
}

// resolveWithSSH runs ssh -G and turns its output into a Host.
func resolveWithSSH(dest Dest, opts *Options) (Host, error) {
	ctx, cancel := context.WithTimeout(context.Background(), sshTimeout)
	defer cancel()
	args := sshGArgs(dest, opts)
	cmd := exec.CommandContext(ctx, opts.SSHPath, args...)
	env := opts.SSHEnv
	if env == nil {
		env = os.Environ()
	}
	if opts.Home != "" {
		env = append(slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
			return strings.HasPrefix(kv, "HOME=")
		}), "HOME="+opts.Home)
	}
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	opts.logf("Running %s %s", opts.SSHPath, strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		return Host{}, fmt.Errorf("%s -G %s: %w: %s", opts.SSHPath, dest.Host, err, strings.TrimSpace(stderr.String()))
	}
	h, err := parseSSHG(stdout.Bytes(), dest, opts)
	if err != nil {
		return Host{}, fmt.Errorf("%s -G %s: %w", opts.SSHPath, dest.Host, err)
	}
	return h, nil
}

// parseSSHG reads ssh -G output. Values ssh prints unexpanded (IdentityFile,
// CertificateFile, ProxyCommand) are expanded here as they would be when
// ssh connects.
func parseSSHG(out []byte, dest Dest, opts *Options) (Host, error) {
	vals := make(map[string][]string)
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), " ")
		if k != "" {
			vals[strings.ToLower(k)] = append(vals[strings.ToLower(k)], v)
		}
	}
	if err := sc.Err(); err != nil {
		return Host{}, err
	}
	one := func(k string) string {
		if v := vals[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	num := func(k string) int {
		n, _ := strconv.Atoi(one(k))
		return n
	}
	if one("hostname") == "" {
		return Host{}, fmt.Errorf("no hostname in output")
	}
	h := Host{
		Alias:                        dest.Host,
		Path:                         dest.Path,
		HostName:                     one("hostname"),
		User:                         one("user"),
		Port:                         num("port"),
		HostKeyAlias:                 one("hostkeyalias"),
		IdentitiesOnly:               one("identitiesonly") == "yes",
		ServerAliveInterval:          time.Duration(num("serveraliveinterval")) * time.Second,
		ServerAliveCountMax:          num("serveralivecountmax"),
		UserKnownHostsFiles:          noneToNil(strings.Fields(one("userknownhostsfile"))),
		GlobalKnownHostsFiles:        noneToNil(strings.Fields(one("globalknownhostsfile"))),
		StrictHostKeyChecking:        strictFromG(one("stricthostkeychecking")),
		HashKnownHosts:               one("hashknownhosts") == "yes",
		PasswordAuthentication:       one("passwordauthentication") == "yes",
		KbdInteractiveAuthentication: one("kbdinteractiveauthentication") == "yes",
		BatchMode:                    one("batchmode") == "yes",
		ProxyJump:                    one("proxyjump"),
		Ciphers:                      nonDefault(one("ciphers"), defaultCiphers),
		KexAlgorithms:                nonDefault(one("kexalgorithms"), defaultKex),
		MACs:                         nonDefault(one("macs"), defaultMACs),
		HostKeyAlgorithms:            nonDefault(one("hostkeyalgorithms"), defaultHostKeyAlgorithms),
	}
	if p := one("preferredauthentications"); p != "" {
		h.PreferredAuthentications = strings.Split(p, ",")
	}
	if ct := one("connecttimeout"); ct != "" && ct != "none" {
		h.Written.ConnectTimeoutSet = true
		h.ConnectTimeout = time.Duration(num("connecttimeout")) * time.Second
	}
	x := newExpander(opts, h)
	var err error
	h.Written.IdentityFiles = vals["identityfile"]
	if h.IdentityFiles, err = x.paths("IdentityFile", h.Written.IdentityFiles); err != nil {
		return Host{}, err
	}
	h.Written.CertificateFiles = vals["certificatefile"]
	if h.CertificateFiles, err = x.paths("CertificateFile", h.Written.CertificateFiles); err != nil {
		return Host{}, err
	}
	if a := one("identityagent"); a != "" {
		// ssh has already expanded ~, % and ${}; only the special values remain.
		if err := x.identityAgent(&h, strings.ReplaceAll(a, "%", "%%")); err != nil {
			return Host{}, err
		}
	}
	var cmd opt[string]
	if pc := one("proxycommand"); pc != "" {
		cmd.setFirst(pc)
	}
	jump := h.ProxyJump
	h.ProxyJump = ""
	if err := x.proxy(&h, cmd, opt[string]{v: jump, ok: jump != ""}); err != nil {
		return Host{}, err
	}
	return h, nil
}

// strictFromG maps ssh -G's stricthostkeychecking output to Host's values.
func strictFromG(v string) string {
	switch v {
	case "true":
		return "yes"
	case "false":
		return "no"
	case "":
		return defaultStrictHostKeyCheck
	}
	return v
}

// nonDefault splits an algorithm list, returning nil when it is OpenSSH's
// default (meaning: not configured).
func nonDefault(v string, def []string) []string {
	if v == "" || v == strings.Join(def, ",") {
		return nil
	}
	return strings.Split(v, ",")
}
