package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// perfRecord starts `perf record -g` on the process pid returns when
// FERRY_BENCH_PERF names a directory, writing KIND-CASE-TIME.data there,
// so that where a UI copy and a headless one spend their CPU can be
// compared (`perf report -i FILE --no-children`). The function it returns
// stops the recording; without FERRY_BENCH_PERF both do nothing. The
// profiles cost CPU: the timings of a run with them are not the
// benchmark's.
func perfRecord(t *testing.T, pid func() int, kind string, c toolCase) func() {
	t.Helper()
	dir := os.Getenv("FERRY_BENCH_PERF")
	if dir == "" {
		return func() {}
	}
	name := strings.NewReplacer(" ", "_", "/", "_").Replace(fmt.Sprintf("%s-%s-%s.data", kind, c.name, time.Now().Format("150405.000")))
	var out bytes.Buffer
	cmd := exec.Command("perf", "record", "-F", "999", "-g", "-p", strconv.Itoa(pid()), "-o", filepath.Join(dir, name))
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Errorf("perf record: %v", err)
		return func() {}
	}
	return func() {
		_ = cmd.Process.Signal(os.Interrupt)
		if err := cmd.Wait(); err != nil {
			t.Logf("perf record: %v\n%s", err, out.String())
		}
	}
}
