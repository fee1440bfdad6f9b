package servertest

import (
	"errors"
	"time"
)

const (
	// readyTimeout bounds how long a launch waits for a server to answer.
	readyTimeout = 15 * time.Second
	// stopTimeout is how long a stop waits after SIGTERM before SIGKILL.
	stopTimeout = 5 * time.Second
	// pollInterval is how often waits look at their condition again.
	pollInterval = 20 * time.Millisecond
)

// retryBusyPort calls launch until it succeeds, fails for another reason
// than a taken port, or the port has stayed taken for readyTimeout: a
// server just stopped frees its port at once (servers listen with
// SO_REUSEADDR), unless another test took it meanwhile.
func retryBusyPort(launch func() error) error {
	deadline := time.Now().Add(readyTimeout)
	for {
		err := launch()
		if !errors.Is(err, errPortTaken) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}
