package remote

import (
	"context"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// holdStreams starts n StreamFile calls on name that each stop in their
// first Write, waits until every one that got a stream is writing, and
// returns how many did, with the function that lets them finish.
func holdStreams(t *testing.T, f *FS, name string, n int) (busy int, release func()) {
	t.Helper()
	started := make(chan struct{}, n)
	done := make(chan bool, n)
	let := make(chan struct{})
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			w := &streamSSHDWriter{fn: func(call int, _ []byte) error {
				if call == 1 {
					started <- struct{}{}
					<-let
				}
				return nil
			}}
			_, handled, err := f.StreamFile(context.Background(), name, 0, w)
			if err != nil {
				t.Errorf("StreamFile: %v", err)
			}
			done <- handled
		})
	}
	var once sync.Once
	release = func() {
		once.Do(func() { close(let) })
		wg.Wait()
	}
	t.Cleanup(release)
	timeout := time.After(streamSSHDWait)
	for returned := 0; busy+returned < n; {
		select {
		case <-started:
			busy++
		case h := <-done:
			if h {
				t.Fatal("a StreamFile call returned before it was let go")
			}
			returned++
		case <-timeout:
			t.Fatalf("timed out: %d streams writing, %d calls returned", busy, returned)
		}
	}
	return busy, release
}

// TestSSHDStreamsAndRangeChannelsShareTheBudget fills the download
// streams, then opens the range-upload channels: idle streams are closed
// so that the connection never holds more than extraChannels channels
// besides its main one (OpenSSH's MaxSessions is 10), and later streams
// keep to what the upload channels leave.
func TestSSHDStreamsAndRangeChannelsShareTheBudget(t *testing.T) {
	t.Parallel()
	if maxStreams+rangeChannels-1 <= extraChannels {
		t.Skip("the pools fit in the budget together: nothing to share")
	}
	s := sshdtest.Start(t)
	sess := streamSSHDSession(t, s)
	f := sess.FS
	p, _ := streamSSHDFile(t, s, "shared.bin", 1<<20)

	busy, release := holdStreams(t, f, p, maxStreams)
	if busy != maxStreams {
		t.Fatalf("%d streams busy, want %d", busy, maxStreams)
	}
	release()
	streamSSHDCheckPool(t, f, maxStreams)

	ctx := context.Background()
	for part := 1; part < rangeChannels; part++ {
		w, err := f.OpenRangeWriter(ctx, p, part, 0)
		if err != nil {
			t.Fatalf("range channel %d: %v", part, err)
		}
		defer w.Close()
		open, _, refused := streamSSHDPool(f)
		if held := f.cur().pool.held(); open+held > extraChannels || refused {
			t.Fatalf("after range channel %d: %d streams and %d range channels (refused %v), want at most %d together",
				part, open, held, refused, extraChannels)
		}
	}
	want := extraChannels - (rangeChannels - 1)
	streamSSHDCheckPool(t, f, want)

	// With the range channels held, only want streams run at once.
	busy, release = holdStreams(t, f, p, maxStreams)
	if busy != want {
		t.Fatalf("%d streams busy beside %d range channels, want %d", busy, rangeChannels-1, want)
	}
	release()
	if f.RangeParts() < 2 {
		t.Fatalf("RangeParts = %d: no channel may have been refused", f.RangeParts())
	}
	if n := streamSSHDLogCount(t, s, "open failed"); n != 0 {
		t.Fatalf("sshd refused %d channels", n)
	}
}

// TestSSHDRangeChannelsBeyondTheKeptOnesClose: a file's ranges over every
// extra channel; once its writers are closed, the channels beyond
// keptRangeChannels are closed too, and the streams may have their share
// again.
func TestSSHDRangeChannelsBeyondTheKeptOnesClose(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	sess := streamSSHDSession(t, s)
	f := sess.FS
	p, _ := streamSSHDFile(t, s, "wide.bin", 1<<20)
	ctx := context.Background()
	var ws []io.Closer
	for part := 1; part < rangeChannels; part++ {
		w, err := f.OpenRangeWriter(ctx, p, part, 0)
		if err != nil {
			t.Fatalf("range channel %d: %v", part, err)
		}
		ws = append(ws, w)
	}
	if held := f.cur().pool.held(); held != rangeChannels-1 {
		t.Fatalf("%d range channels open while writing, want %d", held, rangeChannels-1)
	}
	for _, w := range ws {
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if held := f.cur().pool.held(); held != keptRangeChannels {
		t.Fatalf("%d range channels open after the writers closed, want %d", held, keptRangeChannels)
	}
	// The server counts the closed channels until it has finished
	// closing them: a stream refused meanwhile limits the pool for
	// limitFor, and then it tries again.
	want := min(maxStreams, extraChannels-keptRangeChannels)
	deadline := time.Now().Add(limitFor + streamSSHDWait)
	for {
		busy, release := holdStreams(t, f, p, maxStreams)
		release()
		if busy == want {
			break
		}
		if busy > want || time.Now().After(deadline) {
			t.Fatalf("%d streams beside the kept range channels, want %d", busy, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestRangePartsFollowTheRoundTripAndTheBudget: four parts until the round
// trip is known, as many as it needs after (up to rangeChannels), fewer
// while download streams are busy.
func TestRangePartsFollowTheRoundTripAndTheBudget(t *testing.T) {
	streams := &streamPool{}
	pool := &channelPool{}
	f := &FS{c: &connector{}}
	f.c.cur.Store(&link{pool: pool, streams: streams})
	if got := f.RangeParts(); got != 1+keptRangeChannels {
		t.Fatalf("before the round trip is known: %d parts, want %d", got, 1+keptRangeChannels)
	}
	streams.rtt = 50 * time.Millisecond
	if got := f.RangeParts(); got != rangeChannels {
		t.Fatalf("at 50 ms: %d parts, want %d", got, rangeChannels)
	}
	streams.open = extraChannels - 2 // all lent out
	if got := f.RangeParts(); got != 3 {
		t.Fatalf("with %d streams busy: %d parts, want 3", streams.open, got)
	}
	streams.open, streams.rtt = 0, time.Millisecond
	if got := f.RangeParts(); got != 1+keptRangeChannels {
		t.Fatalf("on loopback: %d parts, want %d", got, 1+keptRangeChannels)
	}
}

// TestKnownRTTFromTheFirstSample: the samples go one at a time, so the
// first answer is the round trip until the others lower it; an upload
// that starts meanwhile sizes its ranges from it instead of the default.
func TestKnownRTTFromTheFirstSample(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int32
	p := &streamPool{ping: func() error {
		if calls.Add(1) > 1 {
			<-release
		}
		return nil
	}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.roundTrip()
	}()
	deadline := time.Now().Add(streamSSHDWait)
	for {
		if _, ok := p.knownRTT(); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no round trip known after the first sample answered")
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case <-done:
		t.Fatal("roundTrip returned before its other samples answered")
	default:
	}
	close(release)
	<-done
	if _, ok := p.knownRTT(); !ok {
		t.Fatal("no round trip known after every sample answered")
	}
}

// TestSSHDPrepareRangesOpensEachChannelOnce asks for the range channels
// ahead of time, twice, while the ranges' writers open at once: each extra
// channel opens exactly once, and every writer gets its own.
func TestSSHDPrepareRangesOpensEachChannelOnce(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	sess := streamSSHDSession(t, s)
	f := sess.FS
	p, _ := streamSSHDFile(t, s, "ranges.bin", 1<<20)

	f.PrepareRanges(rangeChannels)
	f.PrepareRanges(rangeChannels)
	var wg sync.WaitGroup
	errs := make([]error, rangeChannels)
	for part := 1; part < rangeChannels; part++ {
		wg.Go(func() {
			w, err := f.OpenRangeWriter(context.Background(), p, part, int64(part))
			if err == nil {
				_, err = w.Write([]byte{byte('0' + part)})
				if cerr := w.Close(); err == nil {
					err = cerr
				}
			}
			errs[part] = err
		})
	}
	wg.Wait()
	for part, err := range errs {
		if err != nil {
			t.Fatalf("range writer %d: %v", part, err)
		}
	}
	if held := f.cur().pool.held(); held != keptRangeChannels {
		t.Fatalf("the pool holds %d channels once the writers closed, want %d", held, keptRangeChannels)
	}
	if n := streamSSHDSubsystems(t, s); n != rangeChannels {
		t.Fatalf("%d sftp subsystems started, want the main one and %d range channels", n, rangeChannels-1)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for part := 1; part < rangeChannels; part++ {
		if b[part] != byte('0'+part) {
			t.Fatalf("byte %d = %q, want %q", part, b[part], byte('0'+part))
		}
	}
}

// TestSSHDRangeChannelsKeepToTheServersLimit: under MaxSessions 3 the
// third extra channel is refused; the pool keeps the two it got, later
// files' ranges use them, and ranges stay on.
func TestSSHDRangeChannelsKeepToTheServersLimit(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithConfig("MaxSessions 3"))
	sess := streamSSHDSession(t, s)
	f := sess.FS
	p, _ := streamSSHDFile(t, s, "limited.bin", 1<<20)
	pinLoopbackRTT(f)
	if got := f.RangeParts(); got != 1+keptRangeChannels {
		t.Fatalf("RangeParts before any refusal = %d, want %d", got, 1+keptRangeChannels)
	}
	ctx := context.Background()
	var errs []error
	for part := 1; part <= keptRangeChannels; part++ {
		w, err := f.OpenRangeWriter(ctx, p, part, 0)
		if err == nil {
			w.Close()
		}
		errs = append(errs, err)
	}
	if errs[0] != nil || errs[1] != nil || errs[2] == nil {
		t.Fatalf("range writers under MaxSessions 3: %v; want the third refused", errs)
	}
	if got := f.RangeParts(); got != 3 {
		t.Fatalf("RangeParts after the refusal = %d, want 3 (the main channel's and two)", got)
	}
	for part := 1; part <= 2; part++ {
		w, err := f.OpenRangeWriter(ctx, p, part, 0)
		if err != nil {
			t.Fatalf("range writer %d after the refusal: %v", part, err)
		}
		w.Close()
	}
}

// TestSSHDPreparedChannelsUnderMaxSessions: asked for all at once under
// MaxSessions 4, any three of the six extra channels may be the ones the
// server allows; once prepared, the ranges use those three.
func TestSSHDPreparedChannelsUnderMaxSessions(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithConfig("MaxSessions 4"))
	sess := streamSSHDSession(t, s)
	f := sess.FS
	p, _ := streamSSHDFile(t, s, "four.bin", 1<<20)
	pinLoopbackRTT(f)
	f.PrepareRanges(rangeChannels)()
	if got := f.RangeParts(); got != 4 {
		t.Fatalf("RangeParts after preparing under MaxSessions 4 = %d, want 4", got)
	}
	for part := 1; part < 4; part++ {
		w, err := f.OpenRangeWriter(context.Background(), p, part, 0)
		if err != nil {
			t.Fatalf("range writer %d: %v", part, err)
		}
		defer w.Close()
	}
}

// pinLoopbackRTT waits for the connection's round trip to be measured and
// sets it to a loopback's, whatever a loaded machine timed: the ranges
// then take keptRangeChannels extra channels.
func pinLoopbackRTT(f *FS) {
	p := f.cur().streams
	_, _ = p.roundTrip()
	p.mu.Lock()
	p.rtt, p.rttErr = time.Millisecond, nil
	p.mu.Unlock()
}
