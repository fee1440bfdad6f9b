package config

import (
	"fmt"
	"strings"
)

// ResolveJumps resolves each hop of h's ProxyJump chain, first hop first,
// the way ssh does when it runs itself for each hop: with the same
// configuration files, the hop's user as -l and port as -p, and the hops
// before it as -J, but without the original -o and -i options. A hop's
// Host therefore has ProxyJump set to the hops before it, except the first
// hop, whose own configuration may give it a ProxyJump or ProxyCommand
// (which the dialer applies the same way). opts are the Options h was
// resolved with.
func ResolveJumps(h Host, opts Options) ([]Host, error) {
	hops, err := ParseJumpHops(h.ProxyJump)
	if err != nil {
		return nil, err
	}
	specs := strings.Split(h.ProxyJump, ",")
	out := make([]Host, 0, len(hops))
	for i, hop := range hops {
		o := opts
		o.Overrides, o.Identities = nil, nil
		o.Port = hop.Port
		o.Jump = strings.Join(specs[:i], ",")
		jh, err := Resolve(Dest{User: hop.User, Host: hop.Host}, o)
		if err != nil {
			return nil, fmt.Errorf("jump host %d of %q: %w", i+1, h.ProxyJump, err)
		}
		out = append(out, jh)
	}
	return out, nil
}
