package transfer_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// TestLimitAccuracySSHD measures the bandwidth limit as a user meets it:
// four workers upload to and download from a real sshd at --limit 8M for
// 10 s each, after 3 s to open files and channels, and the bytes moved in that window must be within 10% of
// 80 MiB. It takes about 40 s, so it runs only with FERRY_BENCH=1:
//
//	FERRY_BENCH=1 FERRY_REQUIRE_SSHD=1 go test ./transfer -run '^TestLimitAccuracySSHD$' -v
func TestLimitAccuracySSHD(t *testing.T) {
	if os.Getenv("FERRY_BENCH") != "1" {
		t.Skip("a 20 s measurement: set FERRY_BENCH=1")
	}
	const rate = 8 << 20
	srv := startSSHD(t)
	rfs, _ := dialFS(t, srv)
	local := t.TempDir()
	for i := range 4 {
		writeFile(t, filepath.Join(local, "up"+strconv.Itoa(i)), randomBytes(48<<20), 0o644, baseTime)
		writeFile(t, filepath.Join(srv.Dir, "down"+strconv.Itoa(i)), randomBytes(48<<20), 0o644, baseTime)
	}
	for _, dir := range []string{"upload", "download"} {
		e, _ := newEngine(t, transfer.Options{Workers: 4, Limit: rate})
		var req transfer.Request
		for i := range 4 {
			n := strconv.Itoa(i)
			if dir == "upload" {
				req.Items = append(req.Items, transfer.Item{Src: filepath.Join(local, "up"+n), Dst: srv.Dir + "/up" + n})
			} else {
				req.Items = append(req.Items, transfer.Item{Src: srv.Dir + "/down" + n, Dst: filepath.Join(local, "down"+n)})
			}
		}
		req.Src, req.Dst = transfer.FS(localFS()), transfer.FS(rfs)
		if dir == "download" {
			req.Src, req.Dst = rfs, localFS()
		}
		if _, err := e.Submit(req); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * time.Second) // past planning and opening files and channels
		start, from := time.Now(), e.Snapshot().MovedBytes
		time.Sleep(10 * time.Second)
		moved, took := e.Snapshot().MovedBytes-from, time.Since(start)
		e.CancelAll()
		got := float64(moved) / took.Seconds()
		t.Logf("%s: %.2f MiB/s at a limit of %d MiB/s over %v", dir, got/(1<<20), rate>>20, took.Round(time.Millisecond))
		if got < 0.9*rate || got > 1.1*rate {
			t.Errorf("%s: %.2f MiB/s, want %d MiB/s within 10%%", dir, got/(1<<20), rate>>20)
		}
	}
}
