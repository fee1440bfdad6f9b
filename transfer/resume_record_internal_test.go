package transfer

import (
	"slices"
	"testing"
)

// TestRangeRecordWithFinishedRange: a range that was finished has got to
// the next range's start. Such a record must read back, or a ranged copy
// interrupted after one of its ranges (not the last) finished would start
// over instead of resuming: the retry of TestSSHDRangedUploadInterruptedResumes
// once resumed 0 bytes this way. Records whose ranges overlap or go back
// are still refused.
func TestRangeRecordWithFinishedRange(t *testing.T) {
	const mib = 1 << 20
	good := [][]rangeMark{
		{{0, 16 * mib}, {16 * mib, 20 * mib}, {32 * mib, 40 * mib}, {48 * mib, 50 * mib}},
		{{0, 3 * mib}, {16 * mib, 32 * mib}, {32 * mib, 48 * mib}, {48 * mib, 64 * mib}},
		{{0, 0}, {16 * mib, 16 * mib}, {32 * mib, 32 * mib}, {48 * mib, 48 * mib}},
	}
	for _, ranges := range good {
		m := partMeta{size: 64 * mib, mtime: 1700000000000000000, ranges: ranges}
		got, err := parsePartMeta(m.encode())
		if err != nil || !slices.Equal(got.ranges, ranges) {
			t.Errorf("record %v read back as %v, %v", ranges, got.ranges, err)
		}
	}
	bad := [][]rangeMark{
		{{0, 17 * mib}, {16 * mib, 20 * mib}},                    // overlaps the next range
		{{0, 1 * mib}, {16 * mib, 17 * mib}, {8 * mib, 9 * mib}}, // goes back
		{{0, 0}, {0, 0}},                     // two ranges at one start
		{{0, 1 * mib}, {16 * mib, 65 * mib}}, // past the end
	}
	for _, ranges := range bad {
		m := partMeta{size: 64 * mib, mtime: 1700000000000000000, ranges: ranges}
		if got, err := parsePartMeta(m.encode()); err == nil {
			t.Errorf("record %v read back as %v; want an error", ranges, got.ranges)
		}
	}
}
