package settings

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseRate reads a bandwidth limit in bytes per second: a number with an
// optional suffix K, M or G (powers of 1024, as rsync's --bwlimit and
// curl's --limit-rate count), optionally followed by "B", "iB" or "/s":
// "10M", "500K", "1.5MiB/s", "65536". "0" and "" mean no limit.
func ParseRate(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, nil
	}
	t = strings.TrimSuffix(t, "/s")
	t = strings.TrimSuffix(t, "B")
	t = strings.TrimSuffix(t, "i")
	mult := 1.0
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'k', 'K':
			mult = 1 << 10
		case 'm', 'M':
			mult = 1 << 20
		case 'g', 'G':
			mult = 1 << 30
		}
		if mult != 1 {
			t = t[:n-1]
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) || v*mult > 1<<50 {
		return 0, fmt.Errorf("%q is not a rate: want bytes per second such as 10M, 500K or 0 for none", s)
	}
	r := int64(v * mult)
	if r == 0 && v > 0 {
		r = 1
	}
	return r, nil
}

// FormatRate shows a limit as ParseRate reads it: "10M", "500K", "0".
func FormatRate(r int64) string {
	for _, u := range []struct {
		s string
		n int64
	}{{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if r >= u.n && r%u.n == 0 {
			return strconv.FormatInt(r/u.n, 10) + u.s
		}
	}
	return strconv.FormatInt(r, 10)
}
