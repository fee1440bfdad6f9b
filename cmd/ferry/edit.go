package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui"
)

// maxEditSize bounds what F4 downloads into an editor.
const maxEditSize = 64 << 20

// edit is the UI's F4: download path to a private temporary file, run
// $VISUAL or $EDITOR on it, and upload it through the safe-write path
// only if it changed. If the file changed on its side while it was being
// edited, the user is asked whether to upload over that change; the
// edited copy is kept when not.
func (w *tuiHooks) edit(fsys transfer.FS, path string) tea.Cmd {
	return func() tea.Msg {
		ctx := context.Background()
		job, err := startEdit(ctx, fsys, path)
		if err != nil {
			return tui.EditDoneMsg{Err: err}
		}
		editor := w.s.getenv("VISUAL")
		if editor == "" {
			editor = w.s.getenv("EDITOR")
		}
		if editor == "" {
			editor = "vi"
		}
		// The editor setting may carry arguments, as with git and mc.
		cmd := exec.Command("sh", "-c", editor+` "$1"`, "sh", job.local)
		return tea.ExecProcess(cmd, func(err error) tea.Msg {
			// This runs on the event loop: everything slow goes into Then.
			return tui.EditDoneMsg{Then: func() tea.Msg { return job.afterEditor(ctx, editor, err) }}
		})()
	}
}

// editJob is one file being edited.
type editJob struct {
	fsys   transfer.FS
	path   string
	orig   fs.FileInfo
	dir    string // private temporary directory
	local  string // the copy the editor opens
	before [sha256.Size]byte
}

// startEdit downloads path into a new private directory. A symbolic link
// is followed one step, and its target is what gets edited and saved, so
// the link stays a link.
func startEdit(ctx context.Context, fsys transfer.FS, path string) (*editJob, error) {
	fi, err := fsys.Lstat(ctx, path)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, err := fsys.Readlink(ctx, path)
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(target, "/") {
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
	if fi.Size() > maxEditSize {
		return nil, &fs.PathError{Op: "edit", Path: path, Err: fmt.Errorf("larger than %d MiB; copy it instead", maxEditSize>>20)}
	}
	dir, err := os.MkdirTemp("", "ferry-edit-*")
	if err != nil {
		return nil, err
	}
	j := &editJob{fsys: fsys, path: path, orig: fi, dir: dir, local: filepath.Join(dir, safeLocalName(fsys.Base(path)))}
	if err := j.download(ctx); err != nil {
		j.cleanup()
		return nil, err
	}
	return j, nil
}

// safeLocalName keeps a server's file name usable as one local name.
func safeLocalName(n string) string {
	if n == "" || n == "." || n == ".." || strings.ContainsAny(n, "/\x00") {
		return "file"
	}
	return n
}

func (j *editJob) download(ctx context.Context) error {
	r, err := j.fsys.Open(ctx, j.path)
	if err != nil {
		return err
	}
	defer r.Close()
	// The copy gets the file's own permission bits so the upload keeps
	// them; the directory around it is private (0700).
	f, err := os.OpenFile(j.local, os.O_WRONLY|os.O_CREATE|os.O_EXCL, j.orig.Mode().Perm()|0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, maxEditSize+1))
	if err == nil && n > maxEditSize {
		err = fmt.Errorf("larger than %d MiB; copy it instead", maxEditSize>>20)
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("edit %s: download: %w", j.path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	copy(j.before[:], h.Sum(nil))
	return nil
}

func (j *editJob) cleanup() { os.RemoveAll(j.dir) }

// afterEditor decides what to do once the editor has exited. An editor
// that failed (vim's :cq, a wrapper's exit status) does not throw away a
// saved change: the user is asked whether to upload it.
func (j *editJob) afterEditor(ctx context.Context, editor string, err error) tui.EditDoneMsg {
	if err == nil {
		return j.finish(ctx)
	}
	if b, rerr := os.ReadFile(j.local); rerr == nil && sha256.Sum256(b) != j.before {
		return tui.EditDoneMsg{
			Question: fmt.Sprintf("The editor %q ended with an error (%v)\nbut the file was changed. Upload the changes?\n(no keeps them in %s)", editor, err, j.local),
			OnYes:    func() tea.Msg { return j.finish(ctx) },
			OnNo:     func() tea.Msg { return tui.EditDoneMsg{Message: "not uploaded; your version is kept in " + j.local} },
		}
	}
	j.cleanup()
	return tui.EditDoneMsg{Err: fmt.Errorf("edit %s: editor %q: %w", j.path, editor, err)}
}

// finish uploads the edited copy if it changed, asking first when the
// original changed too.
func (j *editJob) finish(ctx context.Context) tui.EditDoneMsg {
	b, err := os.ReadFile(j.local)
	if err != nil {
		j.cleanup()
		return tui.EditDoneMsg{Err: err}
	}
	if sha256.Sum256(b) == j.before {
		j.cleanup()
		return tui.EditDoneMsg{Message: "no changes to " + j.path}
	}
	now, err := j.fsys.Stat(ctx, j.path)
	if err != nil || now.Size() != j.orig.Size() || !now.ModTime().Equal(j.orig.ModTime()) {
		return tui.EditDoneMsg{
			Question: j.path + " changed while you edited it\nUpload your version over the other change?\n(no keeps your version in " + j.local + ")",
			OnYes:    func() tea.Msg { return j.upload(ctx) },
			OnNo: func() tea.Msg {
				return tui.EditDoneMsg{Message: "not uploaded; your version is kept in " + j.local}
			},
		}
	}
	return j.upload(ctx)
}

// upload sends the edited copy through the engine's safe-write path,
// with the original's permission bits.
func (j *editJob) upload(ctx context.Context) tui.EditDoneMsg {
	if err := os.Chmod(j.local, j.orig.Mode().Perm()); err != nil {
		return tui.EditDoneMsg{Err: err}
	}
	eng := transfer.New(transfer.Options{Workers: 1})
	defer eng.Close()
	if _, err := eng.Submit(transfer.Request{Src: local.New(), Dst: j.fsys, Items: []transfer.Item{{Src: j.local, Dst: j.path}}, Policy: transfer.Overwrite}); err != nil {
		return tui.EditDoneMsg{Err: fmt.Errorf("%w; your version is kept in %s", err, j.local)}
	}
	if err := eng.Wait(ctx); err != nil {
		return tui.EditDoneMsg{Err: err}
	}
	for _, js := range eng.Jobs(0, 1) {
		if js.State != transfer.Done {
			return tui.EditDoneMsg{Err: fmt.Errorf("save %s: %v; your version is kept in %s", j.path, js.Err, j.local)}
		}
	}
	j.cleanup()
	return tui.EditDoneMsg{Message: "saved " + j.path}
}
