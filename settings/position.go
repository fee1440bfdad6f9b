package settings

import (
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// positions maps every dotted key of a TOML document to the line it is
// written on: "theme", "keys.copy", and "host.N.KEY" for the Nth
// [[host]] section ("host.N" is the section's header). data has already
// decoded without error.
func positions(data []byte) map[string]int {
	pos := map[string]int{}
	arrays := map[string]int{} // [[name]] seen so far
	var p unstable.Parser
	p.Reset(data)
	var prefix []string
	line := func(n *unstable.Node) int { return p.Shape(n.Raw).Start.Line }
	put := func(key string, l int) {
		if _, ok := pos[key]; !ok {
			pos[key] = l
		}
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			var parts []string
			first := 0
			it := e.Key()
			for it.Next() {
				n := it.Node()
				if first == 0 {
					first = line(n)
				}
				parts = append(parts, string(n.Data))
			}
			name := strings.Join(parts, ".")
			if e.Kind == unstable.ArrayTable {
				i := arrays[name]
				arrays[name]++
				parts = append(parts, strconv.Itoa(i))
			}
			prefix = parts
			put(strings.Join(parts, "."), first)
		case unstable.KeyValue:
			parts := append([]string(nil), prefix...)
			first := 0
			it := e.Key()
			for it.Next() {
				n := it.Node()
				if first == 0 {
					first = line(n)
				}
				parts = append(parts, string(n.Data))
			}
			put(strings.Join(parts, "."), first)
		}
	}
	return pos
}
