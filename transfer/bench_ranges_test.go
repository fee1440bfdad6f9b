package transfer_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// A prototype of the engine change the large-file goals need: one file
// copied as byte ranges over several SFTP sessions at once, either on
// separate SSH connections or as several SFTP channels of one connection.
// With FERRY_BENCH_RANGES set (for example "conn2,conn4,chan4"), the
// single-file cases of TestSpeedVsSFTP get these as extra variants, so
// that the table compares them with sftp in the same run.
//
// The prototype keeps the safe-write sequence of the engine for one file:
// an O_EXCL temporary file beside the target, the data, fsync, the
// modification time and an atomic rename; the permissions are left as
// created (0644 here, as wanted).

// rangeVariant is a way to split one file: over n connections, or over n
// channels of one connection.
type rangeVariant struct {
	n        int
	channels bool
}

func (r rangeVariant) name() string {
	if r.channels {
		return fmt.Sprintf("ranges x%d channels", r.n)
	}
	return fmt.Sprintf("ranges x%d conns", r.n)
}

// benchRanges parses FERRY_BENCH_RANGES.
func benchRanges() []rangeVariant {
	var rs []rangeVariant
	for f := range strings.SplitSeq(os.Getenv("FERRY_BENCH_RANGES"), ",") {
		f = strings.TrimSpace(f)
		var r rangeVariant
		switch {
		case strings.HasPrefix(f, "conn"):
			r.n, _ = strconv.Atoi(f[4:])
		case strings.HasPrefix(f, "chan"):
			r.n, _ = strconv.Atoi(f[4:])
			r.channels = true
		}
		if r.n > 0 {
			rs = append(rs, r)
		}
	}
	return rs
}

// rangeSessions opens r.n SFTP clients to addr, all at once, and returns
// them with a function closing them all.
func rangeSessions(t testing.TB, env *benchEnv, addr string, r rangeVariant) ([]*sftp.Client, func()) {
	t.Helper()
	conns := r.n
	if r.channels {
		conns = 1
	}
	sshc := make([]*ssh.Client, conns)
	var wg sync.WaitGroup
	errs := make([]error, conns)
	for i := range conns {
		wg.Go(func() { sshc[i], errs[i] = ssh.Dial("tcp", addr, env.s.ClientConfig()) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	clients := make([]*sftp.Client, r.n)
	errs = make([]error, r.n)
	for i := range r.n {
		c := sshc[i%conns]
		wg.Go(func() {
			clients[i], errs[i] = sftp.NewClient(c, remote.SFTPOptions(string(c.ServerVersion()))...)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return clients, func() {
		for _, c := range clients {
			c.Close()
		}
		for _, c := range sshc {
			c.Close()
		}
	}
}

// rangesCopy copies the single file src to dst as r.n byte ranges and
// returns the time taken (connecting included), the part spent
// connecting, and the peak RSS.
func rangesCopy(t testing.TB, env *benchEnv, c benchCase, r rangeVariant, src, dst string) (total, connect time.Duration, peak int64) {
	t.Helper()
	debug.FreeOSMemory()
	resetPeakRSS()
	start := time.Now()
	clients, closeAll := rangeSessions(t, env, env.addr(c), r)
	connect = time.Since(start)
	size := int64(c.size)
	// Ranges are whole multiples of the packet size.
	const packet = 261120
	per := (size/int64(r.n) + packet - 1) / packet * packet
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".ferry-part")
	mtime := time.Unix(1700000000, 0)
	var err error
	if c.upload {
		err = uploadRanges(clients, src, tmp, size, per)
		if err == nil {
			err = clients[0].Chtimes(tmp, mtime, mtime)
		}
		if err == nil {
			err = clients[0].PosixRename(tmp, dst)
		}
	} else {
		err = downloadRanges(clients, src, tmp, size, per)
		if err == nil {
			err = os.Chtimes(tmp, mtime, mtime)
		}
		if err == nil {
			err = os.Rename(tmp, dst)
		}
	}
	closeAll()
	total = time.Since(start)
	peak = peakRSS()
	if err != nil {
		t.Fatal(err)
	}
	return total, connect, peak
}

// uploadRanges writes the local file src to the remote tmp, range i over
// clients[i], each with ReadFromWithConcurrency over a section of src.
func uploadRanges(clients []*sftp.Client, src, tmp string, size, per int64) error {
	f0, err := clients[0].OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		return err
	}
	lf, err := os.Open(src)
	if err != nil {
		f0.Close()
		return err
	}
	defer lf.Close()
	var wg sync.WaitGroup
	errs := make([]error, len(clients))
	for i, c := range clients {
		off := int64(i) * per
		if off >= size {
			break
		}
		n := min(per, size-off)
		wg.Go(func() {
			f := f0
			if i > 0 {
				var err error
				if f, err = c.OpenFile(tmp, os.O_WRONLY); err != nil {
					errs[i] = err
					return
				}
				defer f.Close()
			}
			if _, err := f.Seek(off, io.SeekStart); err != nil {
				errs[i] = err
				return
			}
			w, err := f.ReadFromWithConcurrency(io.NewSectionReader(lf, off, n), 0)
			if err == nil && w != n {
				err = io.ErrShortWrite
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			f0.Close()
			return err
		}
	}
	if err := f0.Sync(); err != nil {
		f0.Close()
		return err
	}
	return f0.Close()
}

// downloadRanges reads the remote src into the local tmp, range i over
// clients[i], each with 16 reads of one packet in flight.
func downloadRanges(clients []*sftp.Client, src, tmp string, size, per int64) error {
	lf, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	const packet = 261120
	const inFlight = 16
	var wg sync.WaitGroup
	errs := make([]error, len(clients))
	for i, c := range clients {
		off := int64(i) * per
		if off >= size {
			break
		}
		end := min(off+per, size)
		wg.Go(func() {
			rf, err := c.Open(src)
			if err != nil {
				errs[i] = err
				return
			}
			defer rf.Close()
			var next atomic.Int64
			next.Store(off)
			var rw sync.WaitGroup
			var mu sync.Mutex
			for range inFlight {
				rw.Go(func() {
					buf := make([]byte, packet)
					for {
						o := next.Add(packet) - packet
						if o >= end {
							return
						}
						b := buf[:min(packet, end-o)]
						n, err := rf.ReadAt(b, o)
						if err == nil && n == len(b) {
							_, err = lf.WriteAt(b, o)
						} else if err == nil || err == io.EOF {
							err = io.ErrUnexpectedEOF
						}
						if err != nil {
							mu.Lock()
							errs[i] = err
							mu.Unlock()
							next.Store(end)
							return
						}
					}
				})
			}
			rw.Wait()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			lf.Close()
			return err
		}
	}
	if err := lf.Sync(); err != nil {
		lf.Close()
		return err
	}
	return lf.Close()
}
