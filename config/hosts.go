package config

import (
	"os"
	"strings"
)

// HostEntry is one host a user can pick: an alias named by a Host line of
// the user's ssh config, resolved.
type HostEntry struct {
	// Alias is the name on the Host line.
	Alias string
	// HostName and User are what the alias resolves to.
	HostName, User string
}

// ListHosts returns the aliases named on Host lines of opts.UserConfig and
// the files it includes, in file order, each once: patterns with
// wildcards or negation are left out, since they name no single host. Each
// is resolved with opts for its HostName and User; an alias that fails to
// resolve is listed with only its name. A missing user file gives no hosts.
func ListHosts(opts Options) ([]HostEntry, error) {
	if opts.UserConfig == "" || opts.UserConfig == "none" {
		return nil, nil
	}
	seen := map[string]bool{}
	var aliases []string
	visited := map[string]bool{}
	var read func(path string, depth int) error
	read = func(path string, depth int) error {
		if depth > maxIncludeDepth || visited[path] {
			return nil
		}
		visited[path] = true
		data, err := os.ReadFile(path)
		if os.IsNotExist(err) && depth > 0 {
			return nil
		}
		if err != nil {
			return err
		}
		for _, text := range strings.Split(string(data), "\n") {
			d, ok, err := splitDirective(text)
			if err != nil || !ok {
				continue
			}
			switch d.keyword {
			case "host":
				for _, a := range d.args {
					if a == "" || strings.ContainsAny(a, "*?!") || seen[a] {
						continue
					}
					seen[a] = true
					aliases = append(aliases, a)
				}
			case "include":
				for _, arg := range d.args {
					pattern, err := includePattern(arg, &opts, true)
					if err != nil {
						continue
					}
					matches, _ := globFiles(pattern)
					for _, m := range matches {
						if err := read(m, depth+1); err != nil {
							return err
						}
					}
				}
			}
		}
		return nil
	}
	if err := read(opts.UserConfig, 0); err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	out := make([]HostEntry, 0, len(aliases))
	for _, a := range aliases {
		e := HostEntry{Alias: a}
		if h, err := Resolve(Dest{Host: a}, opts); err == nil {
			e.HostName, e.User = h.HostName, h.User
		}
		out = append(out, e)
	}
	return out, nil
}
