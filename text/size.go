package text

import (
	"strconv"
	"strings"
)

// SizeWidth is the widest Size can be, in cells: "1023K", "9.9M".
const SizeWidth = 5

// Size renders a byte count in at most SizeWidth cells, with binary units:
// "512", "1.2K", "10K", "118M", "5.0G". It is the size format of every
// column, progress line and summary.
func Size(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10)
	}
	const units = "KMGTPE"
	v := float64(n)
	i := -1
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if v < 9.95 {
		return strconv.FormatFloat(v, 'f', 1, 64) + units[i:i+1]
	}
	s := strconv.FormatFloat(v, 'f', 0, 64)
	if s == "1024" && i < len(units)-1 {
		return "1.0" + units[i+1:i+2]
	}
	return s + units[i:i+1]
}

// Bytes is Size for prose: "1 byte", "5 bytes", then as Size ("1.2K").
func Bytes(n int64) string {
	if n < 1024 {
		return Plural(int(n), "byte")
	}
	return Size(n)
}

// Plural renders a count with its noun: "1 file", "2 files",
// "3 directories".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return strconv.Itoa(n) + " " + noun[:len(noun)-1] + "ies"
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
