package transfer

import (
	"sync"
	"sync/atomic"
)

// EventKind says what an Event reports.
type EventKind int

// Event kinds.
const (
	// JobStarted: a worker took the job.
	JobStarted EventKind = iota + 1
	// JobFinished: the job reached State (terminal); Err says why it
	// failed or was skipped.
	JobFinished
	// JobConflict: the destination exists and the batch policy is Ask;
	// Conflict describes both sides. Answer with Engine.Answer.
	JobConflict
	// ConflictResolved: a conflict was answered (possibly by a "for all"
	// answer to another one), so a dialog showing it can close.
	ConflictResolved
	// Notice: something the user should know that is not a failure, in
	// Message (for example that the server lacks posix-rename and a file
	// was replaced through a backup name).
	Notice
	// BatchPlanned: the batch's walk has ended; its totals are final.
	BatchPlanned
	// BatchFinished: every job of the batch is terminal.
	BatchFinished
	// SourceRemoved: a move removed the source at Path (a file or link
	// whose copy is done, an emptied directory, or an item one rename
	// moved).
	SourceRemoved
	// SourceKept: a move kept the source at Path although its copy is
	// done; Err says why (errors.Is ErrSourceChanged, ErrSourceNotEmpty,
	// or the removal's error).
	SourceKept
)

// String returns the kind's name.
func (k EventKind) String() string {
	switch k {
	case JobStarted:
		return "job-started"
	case JobFinished:
		return "job-finished"
	case JobConflict:
		return "job-conflict"
	case ConflictResolved:
		return "conflict-resolved"
	case Notice:
		return "notice"
	case BatchPlanned:
		return "batch-planned"
	case BatchFinished:
		return "batch-finished"
	case SourceRemoved:
		return "source-removed"
	case SourceKept:
		return "source-kept"
	}
	return "unknown"
}

// Event reports a change in a job's or a batch's life. Byte counts are not
// events: poll Engine.Snapshot for them.
type Event struct {
	// Kind says what happened.
	Kind EventKind
	// Batch is the batch concerned.
	Batch BatchID
	// Job is the job concerned, or 0 for batch events.
	Job JobID
	// State is the job's state after the event.
	State State
	// Path is the job's destination path (or the path a notice is
	// about); for SourceRemoved and SourceKept, the source path.
	Path string
	// Err is the job's error for JobFinished, why the source stays for
	// SourceKept, else nil.
	Err error
	// Message is the text of a Notice.
	Message string
	// Conflict is set for JobConflict.
	Conflict *Conflict
}

// essential reports whether ev must reach the consumer however far behind
// it is: everything but routine starts, successes and removed sources,
// which Snapshot and Jobs also show.
func (ev Event) essential() bool {
	switch ev.Kind {
	case JobStarted, SourceRemoved:
		return false
	case JobFinished:
		return ev.Err != nil || ev.State == Failed
	}
	return true
}

// maxBacklog bounds how many routine events wait for a slow consumer;
// beyond it they are dropped (and counted), essential ones never are.
const maxBacklog = 4096

// eventQueue delivers events to a buffered channel without ever blocking
// the sender: events wait in a slice that one goroutine drains into the
// channel. A consumer that stops reading costs memory for essential events
// only, and never stalls a worker.
type eventQueue struct {
	out     chan Event
	wake    chan struct{}
	done    chan struct{}
	stopped chan struct{}
	dropped atomic.Uint64

	mu      sync.Mutex
	pending []Event
}

// newEventQueue starts a queue whose channel holds buffer events.
func newEventQueue(buffer int) *eventQueue {
	q := &eventQueue{
		out:     make(chan Event, buffer),
		wake:    make(chan struct{}, 1),
		done:    make(chan struct{}),
		stopped: make(chan struct{}),
	}
	go q.run()
	return q
}

// push queues ev; it never blocks.
func (q *eventQueue) push(ev Event) {
	q.mu.Lock()
	if !ev.essential() && len(q.pending) >= maxBacklog {
		q.mu.Unlock()
		q.dropped.Add(1)
		return
	}
	q.pending = append(q.pending, ev)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// run forwards queued events to the channel until close.
func (q *eventQueue) run() {
	defer close(q.stopped)
	for {
		select {
		case <-q.wake:
		case <-q.done:
			q.flush()
			return
		}
		for {
			q.mu.Lock()
			evs := q.pending
			q.pending = nil
			q.mu.Unlock()
			if len(evs) == 0 {
				break
			}
			for _, ev := range evs {
				select {
				case q.out <- ev:
				case <-q.done:
					return
				}
			}
		}
	}
}

// flush hands over what fits in the channel's buffer without waiting.
func (q *eventQueue) flush() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.pending) > 0 {
		select {
		case q.out <- q.pending[0]:
			q.pending = q.pending[1:]
		default:
			return
		}
	}
}

// close stops the forwarding goroutine and closes the channel. Events
// pushed afterwards are discarded.
func (q *eventQueue) close() {
	close(q.done)
	<-q.stopped
	close(q.out)
}
