// Package edit is ferry's edit workflow: a file, local or remote, is
// copied into a private directory, the user's editor runs on the copy,
// and the copy goes back through the transfer engine's safe-write path
// only if it changed. If the file changed on its side meanwhile, the user
// is asked before it is overwritten; an edit that is not uploaded is kept.
//
// The editor and the questions are the caller's: the package runs
// neither a process nor a terminal of its own. The upload is a batch of
// the caller's transfer.Engine, so it shows wherever that engine's work
// shows (the UI's queue, its quit warning).
package edit

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// DefaultMaxSize bounds what Edit copies into an editor unless Options say
// otherwise.
const DefaultMaxSize = 64 << 20

// Editor runs the user's editor on a local file.
type Editor interface {
	// Edit returns once the user has left the editor. An error says the
	// editor failed (its exit status, say); the file may have been saved
	// all the same.
	Edit(ctx context.Context, path string) error
}

// EditorFunc adapts a function to Editor.
type EditorFunc func(ctx context.Context, path string) error

// Edit calls f.
func (f EditorFunc) Edit(ctx context.Context, path string) error { return f(ctx, path) }

// Asker puts a yes-or-no question to the user.
type Asker interface {
	// Confirm asks question, whose first line is its title, and returns
	// the answer. An error (nobody to ask, ctx ended) counts as no.
	Confirm(ctx context.Context, question string) (bool, error)
}

// AskerFunc adapts a function to Asker.
type AskerFunc func(ctx context.Context, question string) (bool, error)

// Confirm calls f.
func (f AskerFunc) Confirm(ctx context.Context, question string) (bool, error) {
	return f(ctx, question)
}

// Options configure an edit.
type Options struct {
	// Engine uploads the edited copy. Required.
	Engine *transfer.Engine
	// Editor runs the user's editor. Required.
	Editor Editor
	// Ask asks the user. Required.
	Ask Asker
	// Local is the file system the private copy is uploaded from (nil:
	// local.New()).
	Local transfer.FS
	// TempDir is where the private directory is made ("": os.TempDir).
	TempDir string
	// MaxSize bounds the size of a file to edit (DefaultMaxSize if 0).
	MaxSize int64
}

// Result says how an edit that did not fail ended.
type Result struct {
	// Message says what happened, for a status line: "saved PATH", "no
	// changes to PATH", or that the user's version was kept.
	Message string
	// Kept is the user's edited copy, left in place because it was not
	// uploaded; "" when the copy was uploaded or unchanged (and removed).
	Kept string
}

// Edit edits path on fsys: a private copy, the editor, and an upload
// through o.Engine if the copy changed. A symbolic link is followed one
// step, and its target is what gets edited and saved, so the link stays a
// link. It asks through o.Ask before uploading over a file that changed
// on its side during the edit, and when the editor failed but the copy
// changed. On error, a copy that could not be uploaded is kept, and the
// error names it.
func Edit(ctx context.Context, fsys transfer.FS, path string, o Options) (Result, error) {
	if o.Engine == nil || o.Editor == nil || o.Ask == nil {
		return Result{}, errors.New("edit: needs an engine, an editor and an asker")
	}
	if o.Local == nil {
		o.Local = local.New()
	}
	if o.MaxSize <= 0 {
		o.MaxSize = DefaultMaxSize
	}
	s, err := start(ctx, fsys, path, o)
	if err != nil {
		return Result{}, err
	}
	if err := o.Editor.Edit(ctx, s.local); err != nil {
		if !s.changed() {
			s.cleanup()
			return Result{}, fmt.Errorf("edit %s: %w", s.path, err)
		}
		q := fmt.Sprintf("The editor ended with an error (%v)\nbut the file was changed. Upload the changes?\n(no keeps them in %s)", err, s.local)
		if yes, err := o.Ask.Confirm(ctx, q); !yes {
			return s.keep(err)
		}
	}
	return s.finish(ctx)
}

// session is one file being edited.
type session struct {
	o      Options
	fsys   transfer.FS
	path   string
	orig   fs.FileInfo
	dir    string // private temporary directory
	local  string // the copy the editor opens
	before [sha256.Size]byte
}

// start copies path into a new private directory.
func start(ctx context.Context, fsys transfer.FS, path string, o Options) (*session, error) {
	fi, err := fsys.Lstat(ctx, path)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, err := fsys.Readlink(ctx, path)
		if err != nil {
			return nil, err
		}
		if !isAbs(fsys, target) {
			target = fsys.Join(fsys.Dir(path), target)
		}
		path = target
		if fi, err = fsys.Lstat(ctx, path); err != nil {
			return nil, err
		}
	}
	if !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "edit", Path: path, Err: errors.New("not a regular file")}
	}
	if fi.Size() > o.MaxSize {
		return nil, &fs.PathError{Op: "edit", Path: path, Err: fmt.Errorf("larger than %d MiB; copy it instead", o.MaxSize>>20)}
	}
	dir, err := os.MkdirTemp(o.TempDir, "ferry-edit-*")
	if err != nil {
		return nil, err
	}
	s := &session{o: o, fsys: fsys, path: path, orig: fi, dir: dir, local: filepath.Join(dir, safeLocalName(fsys.Base(path)))}
	if err := s.download(ctx); err != nil {
		s.cleanup()
		return nil, err
	}
	return s, nil
}

// isAbs reports whether p is absolute on fsys.
func isAbs(fsys transfer.FS, p string) bool {
	if fsys.Separator() == "/" {
		return strings.HasPrefix(p, "/")
	}
	return filepath.IsAbs(p)
}

// safeLocalName keeps a server's file name usable as one local name.
func safeLocalName(n string) string {
	if n == "" || n == "." || n == ".." || strings.ContainsAny(n, "/\\\x00") {
		return "file"
	}
	return n
}

// download writes the private copy and remembers its hash.
func (s *session) download(ctx context.Context) error {
	r, err := s.fsys.Open(ctx, s.path)
	if err != nil {
		return err
	}
	defer r.Close()
	// The copy gets the file's own permission bits so the upload keeps
	// them; the directory around it is private (0700).
	f, err := os.OpenFile(s.local, os.O_WRONLY|os.O_CREATE|os.O_EXCL, s.orig.Mode().Perm()|0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, s.o.MaxSize+1))
	if err == nil && n > s.o.MaxSize {
		err = fmt.Errorf("larger than %d MiB; copy it instead", s.o.MaxSize>>20)
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("edit %s: download: %w", s.path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	copy(s.before[:], h.Sum(nil))
	return nil
}

// changed reports whether the copy differs from what was downloaded; a
// copy that cannot be read counts as changed, so that it is never thrown
// away unasked.
func (s *session) changed() bool {
	b, err := os.ReadFile(s.local)
	return err != nil || sha256.Sum256(b) != s.before
}

func (s *session) cleanup() { os.RemoveAll(s.dir) }

// keep ends the edit without an upload, keeping the user's version; err,
// when set, is why the question went unanswered.
func (s *session) keep(err error) (Result, error) {
	r := Result{Message: "not uploaded; your version is kept in " + s.local, Kept: s.local}
	if err != nil {
		return r, fmt.Errorf("edit %s: not uploaded (%w); your version is kept in %s", s.path, err, s.local)
	}
	return r, nil
}

// finish uploads the edited copy if it changed, asking first when the
// original changed too.
func (s *session) finish(ctx context.Context) (Result, error) {
	b, err := os.ReadFile(s.local)
	if err != nil {
		return Result{Kept: s.local}, fmt.Errorf("edit %s: %w", s.path, err)
	}
	if sha256.Sum256(b) == s.before {
		s.cleanup()
		return Result{Message: "no changes to " + s.path}, nil
	}
	now, err := s.fsys.Stat(ctx, s.path)
	if err != nil || now.Size() != s.orig.Size() || !now.ModTime().Equal(s.orig.ModTime()) {
		q := s.path + " changed while you edited it\nUpload your version over the other change?\n(no keeps your version in " + s.local + ")"
		if yes, err := s.o.Ask.Confirm(ctx, q); !yes {
			return s.keep(err)
		}
	}
	return s.upload(ctx)
}

// upload sends the edited copy through the engine's safe-write path, with
// the original's permission bits, and waits for it.
func (s *session) upload(ctx context.Context) (Result, error) {
	kept := Result{Kept: s.local}
	if err := os.Chmod(s.local, s.orig.Mode().Perm()); err != nil {
		return kept, fmt.Errorf("edit %s: %w; your version is kept in %s", s.path, err, s.local)
	}
	b, err := s.o.Engine.Submit(transfer.Request{Src: s.o.Local, Dst: s.fsys, Items: []transfer.Item{{Src: s.local, Dst: s.path}}, Policy: transfer.Overwrite})
	if err != nil {
		return kept, fmt.Errorf("save %s: %w; your version is kept in %s", s.path, err, s.local)
	}
	sum, err := b.Wait(ctx)
	var be *transfer.BatchError
	if errors.As(err, &be) && len(be.Errs) > 0 {
		err = be.Errs[0]
	}
	if err == nil && sum.Files[transfer.Done] != 1 {
		err = errors.New("not saved")
		for _, j := range b.Jobs() {
			if j.Err != nil {
				err = j.Err
			}
		}
	}
	if err != nil {
		return kept, fmt.Errorf("save %s: %w; your version is kept in %s", s.path, err, s.local)
	}
	s.cleanup()
	return Result{Message: "saved " + s.path}, nil
}
