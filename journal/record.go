package journal

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// Version is the record format; records of another version are treated
// as unreadable.
const Version = 1

// Endpoint says how to reach one side of a batch again: the local file
// system, or a host as the user named it, with the connection flags that
// were given. It never holds a secret: passwords and passphrases are asked
// again.
type Endpoint struct {
	// Host is the destination as given ([user@]alias), "" for local.
	Host string `json:"host,omitempty"`
	// Port is the -P port, or 0.
	Port int `json:"port,omitempty"`
	// ConfigFile is the -F ssh config file, or "".
	ConfigFile string `json:"config_file,omitempty"`
	// Options are the -o Key=Value options.
	Options []string `json:"options,omitempty"`
	// Identities are the -i key files.
	Identities []string `json:"identities,omitempty"`
	// Jump is the -J jump hosts.
	Jump string `json:"jump,omitempty"`
}

// Local reports whether e is the local file system.
func (e Endpoint) Local() bool { return e.Host == "" }

// String names the endpoint: "local" or the host.
func (e Endpoint) String() string {
	if e.Local() {
		return "local"
	}
	return e.Host
}

// Record is what the journal keeps of one batch.
type Record struct {
	// Version is the record format (Version).
	Version int `json:"version"`
	// ID identifies the batch in the journal: its start time, the
	// process and the engine's batch id, so it sorts by time.
	ID string `json:"id"`
	// Created is when the batch was submitted; Updated when the record
	// last changed.
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	// Command names what submitted it: "cp", "mv", "sync", "ui"...
	Command string `json:"command"`
	// PID is the process that runs (or ran) the batch.
	PID int `json:"pid"`
	// Src and Dst say how to reach both sides.
	Src Endpoint `json:"src"`
	Dst Endpoint `json:"dst"`
	// Items are the request's sources and destinations.
	Items []transfer.Item `json:"items"`
	// Policy is the conflict policy's name (transfer.ParsePolicy).
	Policy string `json:"policy"`
	// NoPreserve, Move and FollowLinks are the request's options.
	NoPreserve  bool `json:"no_preserve,omitempty"`
	Move        bool `json:"move,omitempty"`
	FollowLinks bool `json:"follow_links,omitempty"`
	// Files and Bytes are the batch's file count and size as far as it
	// was planned; FilesDone and BytesDone how much was finished.
	Files     int   `json:"files"`
	FilesDone int   `json:"files_done"`
	Bytes     int64 `json:"bytes"`
	BytesDone int64 `json:"bytes_done"`
	// Reason says why the batch is unfinished when it ended with
	// failures ("3 failed: ..."); "" when it was interrupted.
	Reason string `json:"reason,omitempty"`
	// DoneCount is how many files are noted as done (filled by List).
	DoneCount int `json:"-"`
}

// Running reports whether the process that runs the batch is still
// alive (this one included): its batch is not to be resumed elsewhere.
func (r Record) Running() bool { return r.PID > 0 && alive(r.PID) }

// NewID returns a journal id for batch b of this process, started at t.
func NewID(t time.Time, b transfer.BatchID) string {
	return fmt.Sprintf("%s-%d-%d", t.UTC().Format("20060102T150405.000000Z"), os.Getpid(), b)
}

// Request rebuilds the transfer request of r on the given file systems,
// continuing from the files done.
func (r Record) Request(src, dst transfer.FS, done map[string]bool) (transfer.Request, error) {
	pol, ok := transfer.ParsePolicy(r.Policy)
	if !ok {
		return transfer.Request{}, fmt.Errorf("journal: batch %s: unknown policy %q", r.ID, r.Policy)
	}
	return transfer.Request{
		Src: src, Dst: dst, Items: append([]transfer.Item(nil), r.Items...),
		Policy: pol, NoPreserve: r.NoPreserve, Move: r.Move, FollowLinks: r.FollowLinks,
		Earlier: &transfer.Earlier{Done: done},
	}, nil
}

// Describe says in a line what r copies, not sanitised: "copy
// local:/home/ann/a to web1:/srv/a", or "copy 3 items from
// local:/home/ann to web1:/srv".
func (r Record) Describe() string {
	verb := "copy"
	if r.Move {
		verb = "move"
	}
	if len(r.Items) == 0 {
		return verb + " nothing"
	}
	if len(r.Items) == 1 {
		return fmt.Sprintf("%s %s:%s to %s:%s", verb, r.Src, r.Items[0].Src, r.Dst, r.Items[0].Dst)
	}
	return fmt.Sprintf("%s %d items from %s:%s to %s:%s", verb, len(r.Items), r.Src, dirOf(r.Items[0].Src), r.Dst, dirOf(r.Items[0].Dst))
}

// dirOf is p's parent directory, for either separator.
func dirOf(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i > 0 {
		return p[:i]
	} else if i == 0 {
		return p[:1]
	}
	return p
}

// same reports whether r and o would do the same copy.
func (r Record) same(o Record) bool {
	if !sameEndpoint(r.Src, o.Src) || !sameEndpoint(r.Dst, o.Dst) || r.Move != o.Move || len(r.Items) != len(o.Items) {
		return false
	}
	for i := range r.Items {
		if r.Items[i] != o.Items[i] {
			return false
		}
	}
	return true
}

func sameEndpoint(a, b Endpoint) bool {
	return a.Host == b.Host && a.Port == b.Port && a.ConfigFile == b.ConfigFile && a.Jump == b.Jump &&
		strings.Join(a.Options, "\x00") == strings.Join(b.Options, "\x00") &&
		strings.Join(a.Identities, "\x00") == strings.Join(b.Identities, "\x00")
}
