// Package journal keeps ferry's transfer queue across restarts: every
// batch and how far it got, in a crash-safe store in the user's state
// directory, so that work a crash, a kill or a quit interrupted can be
// offered again and continued (transfer.Request.Earlier) without doing any
// file twice.
//
// The store is a bbolt database (one file, copy-on-write pages, fsync on
// commit), so it is consistent after a SIGKILL at any moment. It holds
// what it takes to redo a batch (how to reach both sides, the paths, the
// options, which files are done) and never a secret. Each process opens
// it only for the moment of a read or a write, so several ferry processes
// can share it.
package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// FileName is the store's name in the state directory.
const FileName = "queue.db"

// MaxBatches bounds the unfinished batches kept: when a new one would
// exceed it, the oldest are dropped. With finished batches removed as they
// end, this keeps the file small (a batch of 10,000 files takes about a
// megabyte while it runs).
const MaxBatches = 100

// lockWait is how long an open waits for another process's write, which
// takes milliseconds; bounded so that a quit stays quick.
const lockWait = time.Second

var (
	batchesBucket = []byte("batches")
	metaKey       = []byte("meta")
	doneBucket    = []byte("done")
)

// Store is the journal file. Its methods are safe for concurrent use, by
// goroutines and by processes.
type Store struct {
	path string
}

// Open returns the journal in dir (created 0700 if missing). A journal
// that cannot be read is moved aside (to queue.db.corrupt-TIME) and a new
// one started: the returned *CorruptError says so, alongside a usable
// Store.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("journal: create %s: %w", dir, err)
	}
	s := &Store{path: filepath.Join(dir, FileName)}
	err := s.check()
	if err == nil {
		return s, nil
	}
	var locked *LockedError
	if errors.As(err, &locked) {
		return nil, err
	}
	aside := s.path + ".corrupt-" + time.Now().UTC().Format("20060102T150405Z")
	if rerr := os.Rename(s.path, aside); rerr != nil {
		return nil, fmt.Errorf("journal: %s is unreadable (%v) and could not be moved aside: %w", s.path, err, rerr)
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	return s, &CorruptError{Path: s.path, Aside: aside, Err: err}
}

// Path returns the journal file's path.
func (s *Store) Path() string { return s.path }

// CorruptError says that the journal could not be read and was set aside.
type CorruptError struct {
	// Path is the journal's path; Aside where the unreadable one went.
	Path, Aside string
	// Err is why it could not be read.
	Err error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("journal %s was unreadable (%v); moved it to %s and started a new one", e.Path, e.Err, e.Aside)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// LockedError says that another process held the journal too long.
type LockedError struct{ Path string }

func (e *LockedError) Error() string {
	return fmt.Sprintf("journal %s: another ferry process kept it locked for %v", e.Path, lockWait)
}

// check opens the journal and reads every record.
func (s *Store) check() error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(batchesBucket)
		if err != nil {
			return err
		}
		return b.ForEachBucket(func(k []byte) error {
			_, err := readRecord(b.Bucket(k), k)
			return err
		})
	})
}

// open opens the database for one transaction.
func (s *Store) open() (db *bolt.DB, err error) {
	defer func() {
		// bbolt panics on some damaged files instead of failing.
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("damaged file: %v", r)
		}
	}()
	db, err = bolt.Open(s.path, 0o600, &bolt.Options{Timeout: lockWait, OpenFile: openNoFollow})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, &LockedError{Path: s.path}
	}
	return db, err
}

// openNoFollow opens the journal without following a symbolic link.
func openNoFollow(name string, flag int, perm fs.FileMode) (*os.File, error) {
	return os.OpenFile(name, flag|noFollow, perm)
}

func (s *Store) update(fn func(*bolt.Tx) error) error {
	return s.with(func(db *bolt.DB) error { return db.Update(fn) })
}

func (s *Store) view(fn func(*bolt.Tx) error) error {
	return s.with(func(db *bolt.DB) error { return db.View(fn) })
}

// with opens the database for one transaction run by tx, and closes it.
func (s *Store) with(tx func(*bolt.DB) error) (err error) {
	db, err := s.open()
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("damaged file: %v", r)
		}
		if cerr := db.Close(); err == nil {
			err = cerr
		}
	}()
	return tx(db)
}

// Put adds or replaces a batch's record (its done files are kept), and
// drops the oldest batches beyond MaxBatches.
func (s *Store) Put(r Record) error {
	if r.ID == "" {
		return errors.New("journal: record without an id")
	}
	meta, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	err = s.update(func(tx *bolt.Tx) error {
		all, err := tx.CreateBucketIfNotExists(batchesBucket)
		if err != nil {
			return err
		}
		b, err := all.CreateBucketIfNotExists([]byte(r.ID))
		if err != nil {
			return err
		}
		if err := b.Put(metaKey, meta); err != nil {
			return err
		}
		if _, err := b.CreateBucketIfNotExists(doneBucket); err != nil {
			return err
		}
		return prune(all)
	})
	if err != nil {
		return fmt.Errorf("journal: record batch %s: %w", r.ID, err)
	}
	return nil
}

// prune drops the oldest batches beyond MaxBatches. IDs sort by time.
func prune(all *bolt.Bucket) error {
	var ids [][]byte
	if err := all.ForEachBucket(func(k []byte) error { ids = append(ids, append([]byte(nil), k...)); return nil }); err != nil {
		return err
	}
	sort.Slice(ids, func(i, j int) bool { return string(ids[i]) < string(ids[j]) })
	for len(ids) > MaxBatches {
		if err := all.DeleteBucket(ids[0]); err != nil {
			return err
		}
		ids = ids[1:]
	}
	return nil
}

// AddDone notes source paths of batch id as finished.
func (s *Store) AddDone(id string, srcs []string) error {
	if len(srcs) == 0 {
		return nil
	}
	err := s.update(func(tx *bolt.Tx) error {
		b := batch(tx, id)
		if b == nil {
			return fmt.Errorf("no batch %s", id)
		}
		d := b.Bucket(doneBucket)
		for _, p := range srcs {
			if err := d.Put([]byte(p), nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("journal: note finished files of batch %s: %w", id, err)
	}
	return nil
}

// Delete removes batches; unknown ids are ignored.
func (s *Store) Delete(ids ...string) error {
	err := s.update(func(tx *bolt.Tx) error {
		all := tx.Bucket(batchesBucket)
		for _, id := range ids {
			if all.Bucket([]byte(id)) == nil {
				continue
			}
			if err := all.DeleteBucket([]byte(id)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("journal: remove batches: %w", err)
	}
	return nil
}

// List returns every batch's record, oldest first, without its done files.
func (s *Store) List() ([]Record, error) {
	var out []Record
	err := s.view(func(tx *bolt.Tx) error {
		all := tx.Bucket(batchesBucket)
		if all == nil {
			return nil
		}
		return all.ForEachBucket(func(k []byte) error {
			r, err := readRecord(all.Bucket(k), k)
			if err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("journal: read %s: %w", s.path, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Done returns the source paths of batch id's finished files.
func (s *Store) Done(id string) (map[string]bool, error) {
	done := map[string]bool{}
	err := s.view(func(tx *bolt.Tx) error {
		b := batch(tx, id)
		if b == nil {
			return fmt.Errorf("no batch %s", id)
		}
		return b.Bucket(doneBucket).ForEach(func(k, _ []byte) error {
			done[string(k)] = true
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("journal: read batch %s: %w", id, err)
	}
	return done, nil
}

func batch(tx *bolt.Tx, id string) *bolt.Bucket {
	all := tx.Bucket(batchesBucket)
	if all == nil {
		return nil
	}
	return all.Bucket([]byte(id))
}

func readRecord(b *bolt.Bucket, id []byte) (Record, error) {
	var r Record
	meta := b.Get(metaKey)
	if meta == nil || b.Bucket(doneBucket) == nil {
		return r, fmt.Errorf("batch %q: incomplete record", id)
	}
	if err := json.Unmarshal(meta, &r); err != nil {
		return r, fmt.Errorf("batch %q: %w", id, err)
	}
	if r.ID != string(id) || r.Version != Version {
		return r, fmt.Errorf("batch %q: unknown record (id %q, version %d)", id, r.ID, r.Version)
	}
	c := b.Bucket(doneBucket).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		r.DoneCount++
	}
	return r, nil
}
