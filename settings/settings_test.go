package settings

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseGood(t *testing.T) {
	t.Parallel()
	src := `theme = "light"
workers = 8
show_hidden = false
sort = "time"
sort_reverse = true
stall_timeout = "1m"
retries = 0
ranges = false
limit = "10M"
fsync = "never"

[confirm]
delete = false

[colors]
accent = "#ff0000"
text = "12"

[keys]
preset = "vim"
copy = ["f5", "y"]
quit = "Q"

[[host]]
match = "web* !web3"
start_dir = "/var/www"

[[host]]
match = "*"
start_dir = "/srv"
sftp_server = "sudo -n /usr/lib/openssh/sftp-server"
`
	s, err := Parse("c.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := Defaults()
	want.File = "c.toml"
	want.Theme, want.Workers, want.ShowHidden, want.Sort, want.SortReverse = "light", 8, false, "time", true
	want.StallTimeout, want.Retries, want.Ranges, want.Limit, want.Fsync = time.Minute, 0, false, 10<<20, "never"
	want.Confirm.Delete = false
	want.Colors = map[string]string{"accent": "#ff0000", "text": "12"}
	want.Keys = Keys{Preset: "vim", Bind: map[string][]string{"copy": {"f5", "y"}, "quit": {"Q"}}, Order: []string{"copy", "quit"}}
	want.Hosts = []Host{{Match: "web* !web3", StartDir: "/var/www", index: 0}, {Match: "*", StartDir: "/srv", SFTPServer: "sudo -n /usr/lib/openssh/sftp-server", index: 1}}
	want.pos = s.pos
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}
	if got := s.For("web1"); got.StartDir != "/var/www" || got.SFTPServer != "sudo -n /usr/lib/openssh/sftp-server" {
		t.Errorf("For(web1) = %+v", got)
	}
	if got := s.For("WEB3"); got.StartDir != "/srv" {
		t.Errorf("For(WEB3) = %+v, want the second section's start_dir", got)
	}
	if got := s.Pos("keys.quit"); got != "c.toml:22" {
		t.Errorf("Pos(keys.quit) = %q, want c.toml:22", got)
	}
	if got := s.Pos("host.1.sftp_server"); got != "c.toml:31" {
		t.Errorf("Pos(host.1.sftp_server) = %q, want c.toml:31", got)
	}
}

func TestParseBad(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, src, want string }{
		{"syntax", "theme = \"dark\"\nworkers = = 3\n", "c.toml:2: "},
		{"unknown key", "theme = \"dark\"\n\ncolour = \"red\"\n", `c.toml:3: unknown setting "colour"`},
		{"unknown key in table", "[confirm]\ndelete = true\nrename = true\n", `c.toml:3: unknown setting "confirm.rename"`},
		{"unknown key in host", "[[host]]\nmatch = \"*\"\nstartdir = \"/x\"\n", `c.toml:3: unknown setting "host.startdir"`},
		{"type", "workers = \"many\"\n", "c.toml:1: "},
		{"theme", "\ntheme = \"pink\"\n", `c.toml:2: theme: "pink" is not one of auto, dark, light`},
		{"workers range", "workers = 0\n", "c.toml:1: workers: 0 is out of range"},
		{"sort", "sort = \"date\"\n", `c.toml:1: sort: "date" is not one of name, size, time`},
		{"fsync", "fsync = \"sometimes\"\n", `c.toml:1: fsync: "sometimes" is not one of auto, always, never`},
		{"stall", "stall_timeout = \"soon\"\n", `c.toml:1: stall_timeout: "soon": want a duration`},
		{"limit", "\n\nlimit = \"fast\"\n", `c.toml:3: limit: "fast" is not a rate`},
		{"color", "[colors]\naccent = \"blue\"\n", `c.toml:2: colors.accent: "blue" is not a colour`},
		{"preset", "[keys]\npreset = \"emacs\"\n", `c.toml:2: keys.preset: "emacs" is not one of mc, vim`},
		{"key type", "[keys]\ncopy = 5\n", `c.toml:2: keys.copy: 5: want a key`},
		{"host without match", "[[host]]\nstart_dir = \"/x\"\n", `c.toml:1: [[host]] needs match`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("c.toml", []byte(c.src))
			if err == nil || !strings.HasPrefix(err.Error(), c.want) && !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to start with %q", err, c.want)
			}
			var se *Error
			if !errors.As(err, &se) || se.Line == 0 {
				t.Errorf("error %v is not an *Error with a line", err)
			}
		})
	}
}

func TestParseReportsEveryUnknownKey(t *testing.T) {
	t.Parallel()
	_, err := Parse("c.toml", []byte("a = 1\ntheme = \"dark\"\nb = 2\n"))
	if err == nil || !strings.Contains(err.Error(), `c.toml:1: unknown setting "a"`) || !strings.Contains(err.Error(), `c.toml:3: unknown setting "b"`) {
		t.Fatalf("error %v, want both unknown keys with their lines", err)
	}
}

func TestLoadMissingFileIsDefaults(t *testing.T) {
	t.Parallel()
	s, err := Load(filepath.Join(t.TempDir(), "nope.toml"))
	if err != nil || !reflect.DeepEqual(s, Defaults()) {
		t.Fatalf("Load(missing) = %+v, %v; want the defaults", s, err)
	}
}

func TestLoadUnreadableIsAnError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir() // a directory cannot be read as a file
	if _, err := Load(dir); err == nil {
		t.Fatal("Load(a directory) gave no error")
	}
}

// TestDefaultFileUncommentedIsDefaults checks that "ferry config defaults"
// says the truth: uncommenting its settings gives the defaults.
func TestDefaultFileUncommentedIsDefaults(t *testing.T) {
	t.Parallel()
	text := DefaultFile([]Binding{{Action: "copy", Keys: []string{"f5", "c"}}})
	var b strings.Builder
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "# ") && (strings.Contains(l, " = ") || strings.HasPrefix(l, "# [")) && !strings.Contains(l, "[[host]]") && !strings.Contains(l, "match =") && !strings.Contains(l, "start_dir") && !strings.Contains(l, "sftp_server") {
			b.WriteString(strings.TrimPrefix(l, "# ") + "\n")
		}
	}
	s, err := Parse("d.toml", []byte(b.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	want := Defaults()
	if s.Theme != want.Theme || s.Workers != want.Workers || s.StallTimeout != want.StallTimeout || s.Limit != 0 || s.Fsync != want.Fsync || s.Confirm != want.Confirm || s.Retries != want.Retries || s.Ranges != want.Ranges {
		t.Errorf("uncommented defaults parse to %+v", s)
	}
	if !reflect.DeepEqual(s.Keys.Bind["copy"], []string{"f5", "c"}) {
		t.Errorf("keys.copy = %v", s.Keys.Bind["copy"])
	}
}

func TestPath(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if got := Path(env(map[string]string{"XDG_CONFIG_HOME": "/x"}), "/h"); got != "/x/ferry/config.toml" {
		t.Errorf("got %q", got)
	}
	if got := Path(env(map[string]string{"XDG_CONFIG_HOME": "rel"}), "/h"); got != "/h/.config/ferry/config.toml" {
		t.Errorf("relative XDG_CONFIG_HOME: got %q", got)
	}
	if got := Path(env(nil), ""); got != "" {
		t.Errorf("no home: got %q", got)
	}
}

func TestParseRate(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{"10M": 10 << 20, "500K": 500 << 10, "1.5MiB/s": 3 << 19, "65536": 65536, "0": 0, "": 0, "2g": 2 << 30, "100KB": 100 << 10} {
		if got, err := ParseRate(in); err != nil || got != want {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"fast", "-1M", "10X", "M"} {
		if _, err := ParseRate(in); err == nil {
			t.Errorf("ParseRate(%q) gave no error", in)
		}
	}
	for _, r := range []int64{0, 10 << 20, 500 << 10, 12345} {
		if got, _ := ParseRate(FormatRate(r)); got != r {
			t.Errorf("ParseRate(FormatRate(%d)) = %d", r, got)
		}
	}
}

func TestMatchHost(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		alias, list string
		want        bool
	}{{"web1", "web*", true}, {"web1", "web? !web1", false}, {"db", "web*,db", true}, {"x", "!x", false}, {"Web1", "web1", true}, {"abc", "a*c", true}, {"ab", "a?c", false}} {
		if got := MatchHost(c.alias, c.list); got != c.want {
			t.Errorf("MatchHost(%q, %q) = %v", c.alias, c.list, got)
		}
	}
}

func TestLoadReadsFile(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte("workers = 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Load(p)
	if err != nil || s.Workers != 3 || s.File != p {
		t.Fatalf("Load = %+v, %v", s, err)
	}
}
