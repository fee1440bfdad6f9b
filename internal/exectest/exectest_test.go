package exectest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
)

// TestNoTextFileBusy writes and runs scripts while other goroutines keep
// forking, the situation of parallel tests that made the race appear.
func TestNoTextFileBusy(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("needs /bin/sh")
	}
	write := WriteFile
	if os.Getenv("EXECTEST_PLAIN") != "" { // shows the race the package prevents
		write = func(p string, b []byte) error { return os.WriteFile(p, b, 0o755) }
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				_ = exec.Command("/bin/sh", "-c", ":").Run()
			}
		})
	}
	defer wg.Wait()
	defer close(stop)
	dir := t.TempDir()
	for i := range 150 {
		p := filepath.Join(dir, fmt.Sprint(i))
		if err := write(p, []byte("#!/bin/sh\nexit 0\n")); err != nil {
			t.Fatal(err)
		}
		if err := exec.Command(p).Run(); err != nil {
			if errors.Is(err, syscall.ETXTBSY) {
				t.Fatalf("run %d: %v", i, err)
			}
			t.Fatal(err)
		}
	}
}
