package tui

// nextLimit is the limit one step slower (step < 0) or faster than cur
// (0: none). Slower from none is the highest step below speed, the
// current bytes per second, or 10M while nothing moves; faster from the
// top step is none.
func nextLimit(cur, speed int64, step int) int64 {
	// The steps, in bytes per second; above the last is no limit.
	limitSteps := [...]int64{
		64 << 10, 128 << 10, 256 << 10, 512 << 10,
		1 << 20, 2 << 20, 5 << 20, 10 << 20, 20 << 20, 50 << 20, 100 << 20, 200 << 20, 500 << 20,
	}
	if step < 0 {
		ref := cur
		if ref == 0 {
			ref = speed
			if ref <= 0 {
				return 10 << 20
			}
		}
		for i := len(limitSteps) - 1; i >= 0; i-- {
			if limitSteps[i] < ref {
				return limitSteps[i]
			}
		}
		return limitSteps[0]
	}
	if cur == 0 {
		return 0
	}
	for _, s := range limitSteps {
		if s > cur {
			return s
		}
	}
	return 0
}
