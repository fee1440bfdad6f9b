package transfer_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/pkg/sftp"
)

// fakeInfo is a file as a hostile server describes it.
type fakeInfo struct {
	name string
	size int64
	mode fs.FileMode
}

func (f fakeInfo) Name() string       { return f.name }
func (f fakeInfo) Size() int64        { return f.size }
func (f fakeInfo) Mode() fs.FileMode  { return f.mode }
func (f fakeInfo) ModTime() time.Time { return baseTime }
func (f fakeInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fakeInfo) Sys() any           { return nil }

// listerAt serves a fixed listing.
type listerAt []os.FileInfo

func (l listerAt) ListAt(out []os.FileInfo, off int64) (int, error) {
	if off >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(out, l[off:])
	if n < len(out) {
		return n, io.EOF
	}
	return n, nil
}

// hostileServer is an SFTP server whose listings carry names meant to
// escape: traversal, slashes, NUL, empty, and a link out of the tree.
type hostileServer struct{}

// hostileNames are the names /evil lists besides good.txt, sub and link.
var hostileNames = []string{"../evil", "a/b", "..", ".", "", "/", "x/..", "nul\x00byte", "../../../../tmp/pwned"}

func (hostileServer) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	file := fakeInfo{size: 5, mode: 0o644}
	dir := fakeInfo{mode: fs.ModeDir | 0o755}
	switch r.Method {
	case "List":
		switch r.Filepath {
		case "/evil":
			l := listerAt{fakeInfo{"good.txt", 5, 0o644}, fakeInfo{"sub", 0, fs.ModeDir | 0o755}, fakeInfo{"link", 16, fs.ModeSymlink | 0o777}}
			for _, n := range hostileNames {
				l = append(l, fakeInfo{n, 5, 0o644})
			}
			return l, nil
		case "/evil/sub":
			return listerAt{fakeInfo{"../../../escape", 5, 0o644}, fakeInfo{"ok.txt", 5, 0o644}}, nil
		}
		return listerAt{}, nil
	case "Stat", "Lstat":
		switch r.Filepath {
		case "/evil", "/evil/sub":
			dir.name = path.Base(r.Filepath)
			return listerAt{dir}, nil
		case "/evil/good.txt", "/evil/sub/ok.txt":
			file.name = path.Base(r.Filepath)
			return listerAt{file}, nil
		}
	}
	return nil, os.ErrNotExist
}

func (hostileServer) Readlink(p string) (string, error) {
	if p == "/evil/link" {
		return "../../etc/passwd", nil
	}
	return "", os.ErrNotExist
}

func (hostileServer) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	switch r.Filepath {
	case "/evil/good.txt", "/evil/sub/ok.txt":
		return bytes.NewReader([]byte("good!")), nil
	}
	return nil, os.ErrNotExist
}

func (hostileServer) Filewrite(*sftp.Request) (io.WriterAt, error) { return nil, os.ErrPermission }
func (hostileServer) Filecmd(*sftp.Request) error                  { return os.ErrPermission }

// pipeRWC joins the two pipe ends a server reads from and writes to.
type pipeRWC struct {
	io.Reader
	io.WriteCloser
	rc io.Closer
}

func (p pipeRWC) Close() error { return errors.Join(p.WriteCloser.Close(), p.rc.Close()) }

// hostileFS serves hostileServer in-process over a pair of pipes.
func hostileFS(t *testing.T) *remote.FS {
	t.Helper()
	h := hostileServer{}
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	srv := sftp.NewRequestServer(pipeRWC{Reader: sr, WriteCloser: sw, rc: sr}, sftp.Handlers{FileGet: h, FilePut: h, FileCmd: h, FileList: h})
	go srv.Serve()
	c, err := sftp.NewClientPipe(cr, cw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Close() // ends the client's reader, so that its Close returns
		c.Close()
	})
	return remote.NewFS("hostile", c)
}

func TestHostileNamesFromServerRejected(t *testing.T) {
	t.Parallel()
	rfs := hostileFS(t)
	base := t.TempDir()
	out := filepath.Join(base, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: rfs, Dst: localFS(), Policy: transfer.Overwrite, Items: []transfer.Item{{Src: "/evil", Dst: filepath.Join(out, "evil")}}})

	for _, p := range []string{"evil/good.txt", "evil/sub/ok.txt"} {
		if b, err := os.ReadFile(filepath.Join(out, p)); string(b) != "good!" {
			t.Errorf("%s = %q, %v", p, b, err)
		}
	}
	// pkg/sftp's client reduces each name to its last element and drops
	// "." and ".."; what still arrives unsafe must be rejected.
	var unsafe []string
	for _, j := range e.Jobs(0, 0) {
		if errors.Is(j.Err, transfer.ErrUnsafeName) {
			unsafe = append(unsafe, j.Err.Error())
			if j.State != transfer.Failed {
				t.Errorf("unsafe name job %v", j.State)
			}
		}
		if j.Src == "/evil/link" && (j.State != transfer.Skipped || !errors.Is(j.Err, transfer.ErrLinkOutside)) {
			t.Errorf("link out of the tree: %v %v", j.State, j.Err)
		}
	}
	for _, want := range []string{`"."`, `"/"`, `".."`, `"nul\x00byte"`} {
		found := false
		for _, u := range unsafe {
			found = found || strings.Contains(u, want)
		}
		if !found {
			t.Errorf("no rejection quoting %s among %q", want, unsafe)
		}
	}
	// Nothing was written outside the destination directory.
	ents, _ := os.ReadDir(base)
	if len(ents) != 1 || ents[0].Name() != "out" {
		t.Errorf("%s holds %v", base, ents)
	}
	if _, err := os.Lstat(filepath.Join(out, "evil", "link")); err == nil {
		t.Error("the link out of the tree was created")
	}
}

// rawFS wraps the local file system but lists extra entries with raw
// hostile names, as a server whose client did not clean them would.
type rawFS struct {
	transfer.FS
	dir string
}

var rawNames = []string{"../escape", "a/b", "..", ".", "", "nul\x00", "/abs"}

func (r rawFS) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	fis, err := r.FS.ReadDir(ctx, name)
	if name == r.dir {
		for _, n := range rawNames {
			fis = append(fis, fakeInfo{n, 5, 0o644})
		}
	}
	return fis, err
}

func TestRawHostileNamesRejectedBeforeAnyPath(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	src := filepath.Join(base, "src")
	writeFile(t, filepath.Join(src, "fine.txt"), []byte("fine"), 0o644, baseTime)
	writeFile(t, filepath.Join(base, "escape"), []byte("secret"), 0o600, baseTime)
	out := filepath.Join(base, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: rawFS{FS: localFS(), dir: src}, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(out, "src")}}})
	n := 0
	for _, j := range e.Jobs(0, 0) {
		if errors.Is(j.Err, transfer.ErrUnsafeName) {
			n++
			if err := e.Retry(j.ID); err == nil {
				t.Errorf("unsafe name job %d could be retried", j.ID)
			}
		}
	}
	if n != len(rawNames) {
		t.Errorf("%d rejections, want %d: %+v", n, len(rawNames), e.Jobs(0, 0))
	}
	ents, _ := os.ReadDir(out)
	if len(ents) != 1 {
		t.Errorf("out holds %v", ents)
	}
	ents, _ = os.ReadDir(filepath.Join(out, "src"))
	if len(ents) != 1 || ents[0].Name() != "fine.txt" {
		t.Errorf("out/src holds %v", ents)
	}
}
