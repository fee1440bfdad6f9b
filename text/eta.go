package text

import (
	"fmt"
	"time"
)

// ETA renders a duration as m:ss, or h:mm:ss from an hour on.
func ETA(d time.Duration) string {
	secs := int64(d.Round(time.Second) / time.Second)
	h, m, s := secs/3600, secs/60%60, secs%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}
