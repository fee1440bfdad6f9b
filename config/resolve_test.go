package config

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSystemConfig(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	sys := filepath.Join(te.home, "etc")
	for _, f := range []string{"ssh_config", "user.conf", "system.d/10-sys.conf"} {
		data, err := os.ReadFile(filepath.Join("testdata", "system", f))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(filepath.Join(sys, f)), 0o700)
		if err := os.WriteFile(filepath.Join(sys, f), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	opts := te.options(filepath.Join(sys, "user.conf"))
	opts.UserConfigRequired = false
	opts.SystemConfig = filepath.Join(sys, "ssh_config")

	h, err := Resolve(Dest{Host: "mine"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if h.User != "mine-user" || h.Port != 2022 || !h.HashKnownHosts {
		t.Errorf("user file then system file: User %q Port %d HashKnownHosts %v", h.User, h.Port, h.HashKnownHosts)
	}
	// The same IdentityFile from the user's file and the system file is
	// kept twice, as OpenSSH does (duplicates are only dropped per source).
	want := []string{"~/.ssh/shared", "~/.ssh/shared"}
	if !slices.Equal(h.Written.IdentityFiles, want) {
		t.Errorf("IdentityFiles = %q, want %q", h.Written.IdentityFiles, want)
	}
	// A relative Include in the system file is relative to its directory.
	h, err = Resolve(Dest{Host: "sysinc"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if h.HostName != "included-by-system.example.com" || h.User != "system-user" {
		t.Errorf("sysinc: HostName %q User %q", h.HostName, h.User)
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	opts := Options{Home: "/home/u", LocalUser: "u"}
	h, err := Resolve(Dest{Host: "Example.COM"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := Host{
		Alias: "Example.COM", HostName: "example.com", User: "u", Port: 22,
		IdentityFiles: []string{
			"/home/u/.ssh/id_rsa", "/home/u/.ssh/id_ecdsa", "/home/u/.ssh/id_ecdsa_sk",
			"/home/u/.ssh/id_ed25519", "/home/u/.ssh/id_ed25519_sk", "/home/u/.ssh/id_xmss",
			"/home/u/.ssh/id_dsa",
		},
		ServerAliveCountMax:          3,
		UserKnownHostsFiles:          []string{"/home/u/.ssh/known_hosts", "/home/u/.ssh/known_hosts2"},
		GlobalKnownHostsFiles:        []string{"/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"},
		StrictHostKeyChecking:        "ask",
		PasswordAuthentication:       true,
		KbdInteractiveAuthentication: true,
	}
	want.Written.IdentityFiles = defaultIdentityFiles
	var a, b bytes.Buffer
	h.WriteG(&a)
	want.WriteG(&b)
	if a.String() != b.String() || !slices.Equal(h.IdentityFiles, want.IdentityFiles) {
		t.Errorf("defaults:\n%s\nwant\n%s", a.String(), b.String())
	}
}

func TestWriteG(t *testing.T) {
	t.Parallel()
	h := Host{
		Alias: "a", HostName: "a.example", User: "u", Port: 2222,
		IdentityFiles:         []string{"/k/1", "/k/2"},
		IdentitiesOnly:        true,
		ProxyJump:             "j1,j2",
		ConnectTimeout:        10 * time.Second,
		ServerAliveInterval:   time.Minute,
		ServerAliveCountMax:   2,
		UserKnownHostsFiles:   []string{"/h/kh", "/h/kh2"},
		StrictHostKeyChecking: "no",
		HostKeyAlias:          "alias",
		Ciphers:               []string{"aes128-ctr"},
	}
	var buf bytes.Buffer
	if err := h.WriteG(&buf); err != nil {
		t.Fatal(err)
	}
	got := gLines(buf.Bytes())
	for k, want := range map[string][]string{
		"host": {"a"}, "hostname": {"a.example"}, "user": {"u"}, "port": {"2222"},
		"identityfile": {"/k/1", "/k/2"}, "identitiesonly": {"yes"}, "proxyjump": {"j1,j2"},
		"connecttimeout": {"10"}, "serveraliveinterval": {"60"}, "serveralivecountmax": {"2"},
		"userknownhostsfile": {"/h/kh /h/kh2"}, "globalknownhostsfile": {"none"},
		"stricthostkeychecking": {"false"}, "hostkeyalias": {"alias"}, "ciphers": {"aes128-ctr"},
		"macs": {strings.Join(defaultMACs, ",")}, "proxycommand": nil,
	} {
		if !slices.Equal(got[k], want) {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	for line := range strings.SplitSeq(strings.TrimSpace(buf.String()), "\n") {
		k, _, _ := strings.Cut(line, " ")
		if k != strings.ToLower(k) {
			t.Errorf("keyword %q is not lowercase", k)
		}
	}
}

func TestCommandLineErrors(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	cfg := te.install(t, "testdata/corpus/20-overrides.conf")
	for _, tt := range []struct {
		mod  func(*Options)
		want string
	}{
		{func(o *Options) { o.Overrides = []string{"Host=x"} }, "Host directive not supported"},
		{func(o *Options) { o.Overrides = []string{"Include /etc/passwd"} }, "Include directive not supported"},
		{func(o *Options) { o.Overrides = []string{"Match all"} }, "Match directive not supported"},
		{func(o *Options) { o.Overrides = []string{"Port=x"} }, "Bad port"},
		{func(o *Options) { o.Overrides = []string{"NoSuchOption=1"} }, "Bad configuration option"},
		{func(o *Options) { o.Overrides = []string{"User"} }, "no argument"},
		{func(o *Options) { o.Overrides = []string{""} }, "invalid option"},
		{func(o *Options) { o.Jump = "a,,b" }, "invalid -J"},
		{func(o *Options) { o.Port = 70000 }, "bad port"},
		{func(o *Options) { o.UserConfig = filepath.Join(te.home, "missing") }, "can't open user config file"},
	} {
		opts := te.options(cfg)
		tt.mod(&opts)
		_, err := Resolve(Dest{Host: "over"}, opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error = %v, want it to mention %q", err, tt.want)
		}
	}
	opts := te.options(filepath.Join(te.home, "missing"))
	opts.UserConfig, opts.UserConfigRequired = filepath.Join(te.home, "missing"), true
	if _, err := Resolve(Dest{Host: "over"}, opts); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing -F file: error %v does not wrap fs.ErrNotExist", err)
	}
}

func TestUserConfigOptionalAndNone(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	opts := te.options(filepath.Join(te.home, ".ssh", "config"))
	opts.UserConfigRequired = false
	if _, err := Resolve(Dest{Host: "x"}, opts); err != nil {
		t.Errorf("missing ~/.ssh/config: %v", err)
	}
	opts = te.options("none")
	if h, err := Resolve(Dest{Host: "x"}, opts); err != nil || h.User != te.user {
		t.Errorf("-F none: %+v, %v", h, err)
	}
}

func TestPermissionsChecked(t *testing.T) {
	t.Parallel()
	if os.Getuid() == -1 {
		t.Skip("no Unix permissions")
	}
	te := newTestEnv(t)
	cfg := filepath.Join(te.home, ".ssh", "config")
	if err := os.WriteFile(cfg, []byte("Host *\n  User u\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(cfg, 0o666); err != nil {
		t.Fatal(err)
	}
	opts := te.options(cfg)
	opts.UserConfigRequired = false // the default ~/.ssh/config is checked
	if _, err := Resolve(Dest{Host: "x"}, opts); err == nil || !strings.Contains(err.Error(), "bad owner or permissions") {
		t.Errorf("group-writable ~/.ssh/config: error = %v", err)
	}
	opts.UserConfigRequired = true // a -F file is not, but its includes are
	if _, err := Resolve(Dest{Host: "x"}, opts); err != nil {
		t.Errorf("-F file: %v", err)
	}
	inc := filepath.Join(te.home, "inc.conf")
	os.WriteFile(inc, []byte("User v\n"), 0o600)
	os.Chmod(inc, 0o664)
	top := filepath.Join(te.home, "top.conf")
	os.WriteFile(top, []byte("Include "+inc+"\n"), 0o600)
	if _, err := Resolve(Dest{Host: "x"}, te.options(top)); err == nil || !strings.Contains(err.Error(), "bad owner or permissions") {
		t.Errorf("group-writable include: error = %v", err)
	}
}

func TestIdentityFlagTildeAndMissing(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	key := filepath.Join(te.home, ".ssh", "id_flag")
	if err := os.WriteFile(key, []byte("k"), 0o600); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	opts := te.options("none")
	opts.Identities = []string{"~/.ssh/id_flag", "~/.ssh/missing"}
	opts.Log = &log
	h, err := Resolve(Dest{Host: "x"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h.IdentityFiles, []string{key}) {
		t.Errorf("IdentityFiles = %q, want [%s]", h.IdentityFiles, key)
	}
	if !strings.Contains(log.String(), "missing not accessible") {
		t.Errorf("no warning for the missing -i file in the log:\n%s", log.String())
	}
}

func TestDebugLog(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	cfg := te.install(t, "testdata/corpus/05-include-relative.conf")
	var log bytes.Buffer
	opts := te.options(cfg)
	opts.Log = &log
	if _, err := Resolve(Dest{Host: "inc-two"}, opts); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Reading configuration data " + cfg,
		"Including file " + filepath.Join(te.home, ".ssh", "conf.d", "10-users.conf"),
		"line 4: Applying options for inc-two",
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
}

// TestKeywordTable checks the keyword table against ssh itself: every
// keyword ferry knows must be known to ssh, and an unknown one rejected by
// both.
func TestKeywordTable(t *testing.T) {
	t.Parallel()
	ssh := findOpenSSH()
	if ssh.skip != "" {
		t.Skip(ssh.skip)
	}
	te := newTestEnv(t)
	cfg := filepath.Join(te.home, "kw.conf")
	var b strings.Builder
	b.WriteString("Host never-matches\n")
	for k := range keywords {
		if k != "host" && k != "match" && k != "include" {
			b.WriteString("  " + k + " yes\n")
		}
	}
	if err := os.WriteFile(cfg, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func() []byte {
		cmd := exec.Command(ssh.path, "-G", "-F", cfg, "x")
		cmd.Env = te.sshEnv()
		out, _ := cmd.CombinedOutput()
		return out
	}
	out := run()
	if bytes.Contains(out, []byte("Bad configuration option")) {
		t.Errorf("ssh rejects keywords in ferry's table:\n%s", out)
	}
	if err := os.WriteFile(cfg, []byte("Host never-matches\n  NoSuchKeyword yes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out = run()
	if !bytes.Contains(out, []byte("Bad configuration option: nosuchkeyword")) {
		t.Errorf("ssh accepted an unknown keyword:\n%s", out)
	}
	if _, err := Resolve(Dest{Host: "x"}, te.options(cfg)); err == nil || !strings.Contains(err.Error(), "Bad configuration option: nosuchkeyword") {
		t.Errorf("ferry: error = %v", err)
	}
}
