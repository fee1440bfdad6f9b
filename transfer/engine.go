package transfer

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Engine defaults and limits.
const (
	// DefaultWorkers is how many files move at once unless Options say
	// otherwise. Workers share one SFTP connection; small files are
	// latency-bound. Against OpenSSH 9.2 (TestSpeedVsSFTP, medians of 5),
	// sftp put/get -r time over ferry's: 2000 x 16 KiB on loopback
	// 2.96x/3.31x with 32 workers, 3.11x/3.18x with 64; 200 x 16 KiB at
	// 10 ms RTT 8.46x/18.05x with 32, 10.49x/18.44x with 64.
	DefaultWorkers = 64
	// MaxWorkers bounds SetWorkers.
	MaxWorkers = 256
	// DefaultMaxLarge is how many large files run at once by default.
	DefaultMaxLarge = 4
	// DefaultEventBuffer is the default capacity of the Events channel.
	DefaultEventBuffer = 256
	// MaxDepth is how deep below a source directory the walk goes.
	MaxDepth = 64
	// DefaultRetries is how often a file is tried again after its
	// connection dropped or its data stalled, unless Options say otherwise.
	DefaultRetries = 3
	// DefaultStallTimeout is how long a running file may move no bytes
	// before it counts as stalled: its connection is closed and it is
	// tried again. Keepalives only prove that the link is up; a server
	// can answer them and still take no data. 30 s lies well above the
	// slowest step that moves no bytes (an fsync or a rename of a large
	// file) and well below the patience of a person watching a bar.
	DefaultStallTimeout = 30 * time.Second
)

// Sizes that change how a file is moved.
const (
	// smallFile and smaller files are read whole in one request, using
	// the size the listing gave (at most Workers x smallFile of buffers).
	smallFile = 512 << 10
	// largeFile and larger files count against Options.MaxLarge: they
	// run with every request in flight, each holding a packet buffer.
	largeFile = 4 << 20
	// resumableFile and larger files get a resume record beside their
	// temporary file; smaller ones simply restart.
	resumableFile = 8 << 20
	// resumeRewind is how far before the end of a partial file (or of
	// what a range handed to the server) a resume starts: concurrent
	// writes may leave the last requests' worth unwritten. pkg/sftp's
	// ReadFromWithConcurrency has at most depth+2 packets read and not
	// acknowledged (depth in flight, one waiting for a worker, one being
	// read): 18 x 255 KiB = 4.5 MiB with ferry's options for OpenSSH,
	// 66 x 32 KiB for other servers.
	resumeRewind = 5 << 20
	// tailCheck is how much of the partial file before the resume offset
	// must match the source.
	tailCheck = 64 << 10
)

// Options configure an Engine. The zero value gives the defaults.
type Options struct {
	// Workers is how many jobs run at once (DefaultWorkers if 0).
	Workers int
	// MaxLarge bounds how many files of 4 MiB or more run at once, which
	// bounds memory (DefaultMaxLarge if 0).
	MaxLarge int
	// EventBuffer is the capacity of the Events channel
	// (DefaultEventBuffer if 0).
	EventBuffer int
	// Fsync is the durability policy of requests that do not set their
	// own (FsyncAuto if FsyncDefault).
	Fsync Fsync
	// NoSync, when Fsync is FsyncDefault, means FsyncNever. Deprecated:
	// set Fsync.
	NoSync bool
	// Retries is how many times a file is tried again, continuing its
	// partial copy, after its connection dropped or its data stalled
	// (DefaultRetries if 0; negative: never).
	Retries int
	// StallTimeout is how long a running file may move no bytes before
	// it is treated as stalled (DefaultStallTimeout if 0; negative: never).
	StallTimeout time.Duration
	// NoRanges sends every file as one stream, never as byte ranges over
	// several channels at once.
	NoRanges bool
	// OnSubmit, when set, is called with the handle of every batch Submit
	// accepts, before Submit returns: a journal follows every batch of
	// an engine this way. It must not block for long.
	OnSubmit func(*Batch)
	// Limit bounds the bytes per second of all jobs together; 0 means
	// no limit. SetLimit changes it while the engine runs.
	Limit int64

	// sizes replaces the sizes that decide how a large file is moved;
	// its zero fields mean the constants above. Only tests set it, so
	// that they exercise ranges and resumes with small files.
	sizes sizes
}

// sizes are the thresholds of ranges and resumes an engine uses.
type sizes struct {
	rangeMinFile int64 // the smallest file split into byte ranges
	rangeMinPart int64 // the smallest byte range
	resumeRewind int64 // how far before its end a partial copy resumes
	// maxParts, when above 0, caps the ranges of one file: tests that
	// count on a number of ranges set it (the file system's number
	// follows the measured round trip).
	maxParts int
}

// withDefaults fills s's zero fields with the constants.
func (s sizes) withDefaults() sizes {
	if s.rangeMinFile <= 0 {
		s.rangeMinFile = rangeMinFile
	}
	if s.rangeMinPart <= 0 {
		s.rangeMinPart = rangeMinPart
	}
	if s.resumeRewind <= 0 {
		s.resumeRewind = resumeRewind
	}
	return s
}

// Engine plans copies, queues them and drains the queue with a pool of
// workers that share the file systems (and so the SFTP connections) they
// were given. All methods are safe for concurrent use.
//
// Workers never wait for the consumer: lifecycle events go to Events
// through an unbounded queue, and byte counts live in atomics that
// Snapshot reads.
type Engine struct {
	opts   Options
	ctx    context.Context
	stop   context.CancelFunc
	events *eventQueue
	gate   pauseGate
	wg     sync.WaitGroup // workers, walkers and batch finishers

	// Byte counters, updated per chunk without the lock.
	totalBytes atomic.Int64 // sizes of files planned and not given up
	doneBytes  atomic.Int64 // bytes of those at the destination
	moved      atomic.Int64 // bytes actually carried (for the speed)

	mu           sync.Mutex
	cond         *sync.Cond
	closed       bool
	jobs         []*job
	batches      []*batch
	queue        jobQueue
	running      map[*job]struct{}
	runningLarge int
	counts       [numStates]int
	busy         int // walks and batch finishers under way
	target       int // workers wanted
	live         int // worker goroutines alive
	idle         chan struct{}
	meter        meter
	lost         map[Reconnector]error // connections that could not be restored (noteLost)
	limit        limiter               // the bandwidth limit (limit.go)
}

// New starts an engine with opts' workers, idle until Submit.
func New(opts Options) *Engine {
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.MaxLarge <= 0 {
		opts.MaxLarge = DefaultMaxLarge
	}
	if opts.EventBuffer <= 0 {
		opts.EventBuffer = DefaultEventBuffer
	}
	if opts.Retries == 0 {
		opts.Retries = DefaultRetries
	}
	if opts.StallTimeout == 0 {
		opts.StallTimeout = DefaultStallTimeout
	}
	opts.sizes = opts.sizes.withDefaults()
	ctx, stop := context.WithCancel(context.Background())
	e := &Engine{
		opts:    opts,
		ctx:     ctx,
		stop:    stop,
		events:  newEventQueue(opts.EventBuffer),
		running: make(map[*job]struct{}),
	}
	e.cond = sync.NewCond(&e.mu)
	e.gate.init()
	e.SetWorkers(opts.Workers)
	e.limit.set(opts.Limit)
	if opts.StallTimeout > 0 {
		e.wg.Add(1)
		go e.watchStalls()
	}
	return e
}

// Events returns the channel lifecycle events arrive on. It is closed by
// Close. Routine events (starts and successes) are dropped when more than
// a few thousand wait unread; failures, conflicts, notices and batch
// events never are. Snapshot.DroppedEvents counts the dropped ones.
func (e *Engine) Events() <-chan Event { return e.events.out }

// Close cancels every job and walk, waits for the workers to stop and
// closes the Events channel and every batch's subscriptions. Interrupted
// large files keep their temporary file and resume record, so a later
// engine can resume them.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	for _, j := range e.jobs {
		if j.state == Queued {
			j.err = ErrClosed
			e.setState(j, Cancelled)
		}
	}
	e.cond.Broadcast()
	for j := range e.running {
		e.abortLater(j, ErrClosed)
	}
	e.mu.Unlock()
	e.stop()
	e.gate.set(false)
	e.wg.Wait()
	e.events.close()
	e.mu.Lock()
	batches := slices.Clone(e.batches)
	e.mu.Unlock()
	for _, b := range batches {
		b.log.close()
	}
	return nil
}

// Wait blocks until no work is left (every batch walked and every job
// terminal) or ctx is done. Jobs waiting for an answer, and a paused
// queue, keep it waiting.
func (e *Engine) Wait(ctx context.Context) error {
	for {
		e.mu.Lock()
		if e.isIdle() {
			e.mu.Unlock()
			return nil
		}
		if e.idle == nil {
			e.idle = make(chan struct{})
		}
		ch := e.idle
		e.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// isIdle reports whether there is nothing left to do. Called with e.mu held.
func (e *Engine) isIdle() bool {
	return e.busy == 0 && e.counts[Queued] == 0 && e.counts[Running] == 0
}

// checkIdle wakes Wait callers when the engine has become idle. Called
// with e.mu held.
func (e *Engine) checkIdle() {
	if e.idle != nil && e.isIdle() {
		close(e.idle)
		e.idle = nil
	}
}

// emit queues an event of batch b for the Events channel and for b's
// subscriptions, in the same order for all; it never blocks.
func (e *Engine) emit(b *batch, ev Event) { b.log.publish(ev, e.events) }

// notice emits a Notice about path.
func (e *Engine) notice(b *batch, path, msg string) {
	e.emit(b, Event{Kind: Notice, Batch: b.id, Path: path, Message: msg})
}
