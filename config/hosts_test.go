package config

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestListHosts(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	ssh := filepath.Join(home, ".ssh")
	if err := os.MkdirAll(filepath.Join(ssh, "conf.d"), 0o700); err != nil {
		t.Fatal(err)
	}
	write := func(p, s string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(ssh, "config"), "Include conf.d/*.conf\nHost web1 web2 *.example.com !bad\n  HostName %h.example.net\n  User deploy\nHost db\n  HostName 10.0.0.5\nHost *\n  User me\nHost web1\n")
	write(filepath.Join(ssh, "conf.d", "a.conf"), "Host included\n  HostName inc.example.org\n")
	got, err := ListHosts(Options{UserConfig: filepath.Join(ssh, "config"), Home: home, LocalUser: "me"})
	if err != nil {
		t.Fatal(err)
	}
	want := []HostEntry{
		{Alias: "included", HostName: "inc.example.org", User: "me"},
		{Alias: "web1", HostName: "web1.example.net", User: "deploy"},
		{Alias: "web2", HostName: "web2.example.net", User: "deploy"},
		{Alias: "db", HostName: "10.0.0.5", User: "me"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ListHosts =\n%+v\nwant\n%+v", got, want)
	}
	none, err := ListHosts(Options{UserConfig: filepath.Join(home, "missing"), Home: home})
	if err != nil || len(none) != 0 {
		t.Fatalf("missing file: %v, %v", none, err)
	}
}
