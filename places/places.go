// Package places keeps what helps a user find their way back across runs
// of ferry: bookmarks (a host and a directory) and the hosts opened
// recently, in places.json in the state directory, and the messages log
// (messages.log) beside it. The directory is created 0700 and the files
// 0600; every file is reached through an os.Root and refused when it is
// not a regular file, so a symbolic link planted at its name sends nothing
// elsewhere. Saving writes a temporary file and renames it over the old
// one, so a crash leaves the old or the new list, never half of one.
package places

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// MaxRecent is how many recent hosts are kept.
const MaxRecent = 20

// fileName is the name of the places file in the state directory.
const fileName = "places.json"

// Bookmark is a directory on a host that the user asked to remember.
type Bookmark struct {
	// Name is what the list shows; the user can rename it.
	Name string `json:"name"`
	// Host is the host's alias as the pane's file system names it;
	// "local" with Local set for this computer.
	Host string `json:"host"`
	// Local says the directory is on this computer.
	Local bool `json:"local,omitempty"`
	// Path is the directory, absolute.
	Path string `json:"path"`
}

// Places is everything the store keeps.
type Places struct {
	// Bookmarks are in the order the user added them.
	Bookmarks []Bookmark `json:"bookmarks"`
	// Recent are host aliases, the most recently opened first.
	Recent []string `json:"recent"`
}

// Remember moves host to the front of the recent hosts, keeping at most
// MaxRecent of them.
func (p *Places) Remember(host string) {
	out := []string{host}
	for _, h := range p.Recent {
		if h != host && len(out) < MaxRecent {
			out = append(out, h)
		}
	}
	p.Recent = out
}

// Add appends b unless a bookmark of the same host and path exists; it
// reports whether it did.
func (p *Places) Add(b Bookmark) bool {
	if p.Find(b.Host, b.Path) >= 0 {
		return false
	}
	p.Bookmarks = append(p.Bookmarks, b)
	return true
}

// Find returns the index of the bookmark of host and path, or -1.
func (p *Places) Find(host, path string) int {
	for i, b := range p.Bookmarks {
		if b.Host == host && b.Path == path {
			return i
		}
	}
	return -1
}

// Rename names the bookmark of host and path name, if there is one.
func (p *Places) Rename(host, path, name string) {
	if i := p.Find(host, path); i >= 0 {
		p.Bookmarks[i].Name = name
	}
}

// Delete removes the bookmark of host and path, if there is one.
func (p *Places) Delete(host, path string) {
	if i := p.Find(host, path); i >= 0 {
		p.Bookmarks = append(p.Bookmarks[:i:i], p.Bookmarks[i+1:]...)
	}
}

// Store reads and writes the places file in one directory. Its methods
// are safe for concurrent use.
type Store struct {
	dir string
	mu  sync.Mutex
}

// NewStore returns the store for dir, typically $XDG_STATE_HOME/ferry.
// Nothing is touched until Load or Save.
func NewStore(dir string) *Store { return &Store{dir: dir} }

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

// Load reads the places; a missing file is no places and no error.
func (s *Store) Load() (Places, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load()
}

// Update reads the places, applies change and saves the result, which it
// returns, so that what another ferry saved meanwhile is kept: change
// says what this one did (add, rename, delete, remember), not what the
// whole list should be.
func (s *Store) Update(change func(*Places)) (Places, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.load()
	if err != nil {
		return p, err
	}
	change(&p)
	return p, s.save(p)
}

// load reads the places; the caller holds mu.
func (s *Store) load() (Places, error) {
	var p Places
	di, err := os.Lstat(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err == nil && !di.IsDir() {
		err = fmt.Errorf("%s is not a directory", s.dir)
	}
	if err != nil {
		return p, fmt.Errorf("read places: %w", err)
	}
	root, err := os.OpenRoot(s.dir)
	if err != nil {
		return p, fmt.Errorf("read places: %w", err)
	}
	defer root.Close()
	full := filepath.Join(s.dir, fileName)
	li, err := root.Lstat(fileName)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("read places %s: %w", full, err)
	}
	if !li.Mode().IsRegular() {
		return p, fmt.Errorf("read places %s: not a regular file", full)
	}
	data, err := root.ReadFile(fileName)
	if err != nil {
		return p, fmt.Errorf("read places %s: %w", full, err)
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return Places{}, fmt.Errorf("read places %s: %w", full, err)
	}
	return p, nil
}

// Save replaces the places file with p: a private temporary file beside
// it, synced, then renamed over it.
func (s *Store) Save(p Places) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.save(p)
}

// save writes p; the caller holds mu.
func (s *Store) save(p Places) error {
	full := filepath.Join(s.dir, fileName)
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("save places %s: %w", full, err)
	}
	root, err := openDir(s.dir)
	if err != nil {
		return fmt.Errorf("save places %s: %w", full, err)
	}
	defer root.Close()
	if li, err := root.Lstat(fileName); err == nil && !li.Mode().IsRegular() {
		return fmt.Errorf("save places %s: not a regular file", full)
	}
	tmp := "." + fileName + "." + strconv.Itoa(os.Getpid()) + "." + strconv.FormatInt(time.Now().UnixNano(), 36)
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("save places %s: %w", full, err)
	}
	_, err = f.Write(append(data, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, fileName)
	}
	if err != nil {
		root.Remove(tmp)
		return fmt.Errorf("save places %s: %w", full, err)
	}
	return nil
}

// openDir creates dir 0700 when missing, refuses it when it is not a real
// directory (a symbolic link, say), takes group and other access away,
// and opens it as an os.Root.
func openDir(dir string) (*os.Root, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return nil, err
		}
	}
	return os.OpenRoot(dir)
}

// logName is the messages log's name in the state directory.
const logName = "messages.log"

// maxLog is the size past which the messages log is set aside as
// messages.log.old when it is opened, so it never grows without end.
const maxLog = 1 << 20

// OpenLog opens the messages log in dir for appending, creating dir 0700
// and the file 0600. A log grown past 1 MiB is first renamed
// messages.log.old, replacing the previous one. It returns the file and
// its path.
func OpenLog(dir string) (io.WriteCloser, string, error) {
	full := filepath.Join(dir, logName)
	root, err := openDir(dir)
	if err != nil {
		return nil, "", fmt.Errorf("open messages log %s: %w", full, err)
	}
	defer root.Close()
	li, err := root.Lstat(logName)
	switch {
	case err == nil && !li.Mode().IsRegular():
		return nil, "", fmt.Errorf("open messages log %s: not a regular file", full)
	case err == nil && li.Size() > maxLog:
		if oi, err := root.Lstat(logName + ".old"); err == nil && !oi.Mode().IsRegular() {
			return nil, "", fmt.Errorf("open messages log %s.old: not a regular file", full)
		}
		if err := root.Rename(logName, logName+".old"); err != nil {
			return nil, "", fmt.Errorf("open messages log %s: %w", full, err)
		}
	}
	f, err := root.OpenFile(logName, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, "", fmt.Errorf("open messages log %s: %w", full, err)
	}
	return &lockedFile{f: f}, full, nil
}

// lockedFile serialises writes, which come from concurrent Cmds.
type lockedFile struct {
	mu sync.Mutex
	f  *os.File
}

// Write appends p.
func (l *lockedFile) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.f.Write(p)
}

// Close closes the file.
func (l *lockedFile) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.f.Close()
}
