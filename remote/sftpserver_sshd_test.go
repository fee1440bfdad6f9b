package remote_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// sftpServerBinary is OpenSSH's sftp-server on Debian.
const sftpServerBinary = "/usr/lib/openssh/sftp-server"

// TestSSHDSFTPServerCommand runs OpenSSH's sftp-server through an exec
// request (Dialer.SFTPServer), as sftp -s does: the main channel, the
// extra channels of byte ranges and the download streams all run the
// command, never the subsystem, and files move through them.
func TestSSHDSFTPServerCommand(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(sftpServerBinary); err != nil {
		if os.Getenv("FERRY_REQUIRE_SSHD") == "1" {
			t.Fatalf("no %s: %v", sftpServerBinary, err)
		}
		t.Skipf("no %s", sftpServerBinary)
	}
	srv := sshdtest.Start(t)
	mark := filepath.Join(t.TempDir(), "runs")
	d := remote.Dialer{SFTPServer: "sh -c 'echo run >> " + mark + "; exec " + sftpServerBinary + " -d " + srv.Dir + "'"}
	sess, err := d.Dial(t.Context(), hostFor(t, srv))
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	ctx := t.Context()
	home, err := sess.FS.Home(ctx)
	if err != nil || home != srv.Dir {
		t.Fatalf("Home = %q, %v; want the -d directory %s", home, err, srv.Dir)
	}
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<20) // 16 MiB: streams
	w, err := sess.FS.CreateExcl(ctx, "big", 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if sess.FS.RangeParts() > 1 {
		rw, err := sess.FS.OpenRangeWriter(ctx, "big", 1, 0)
		if err != nil {
			t.Fatalf("extra channel: %v", err)
		}
		rw.Close()
	}
	var got bytes.Buffer
	if _, handled, err := sess.FS.StreamFile(ctx, "big", 0, &got); err != nil || !handled || !bytes.Equal(got.Bytes(), data) {
		t.Fatalf("stream: handled %v, err %v, %d bytes", handled, err, got.Len())
	}
	onDisk, err := os.ReadFile(filepath.Join(srv.Dir, "big"))
	if err != nil || !bytes.Equal(onDisk, data) {
		t.Fatalf("the file on the server: %d bytes, %v", len(onDisk), err)
	}
	// The long listing chown reads names from opens a channel of its own,
	// which runs the command too.
	before, _ := os.ReadFile(mark)
	if _, err := sess.FS.LongOwners(ctx, srv.Dir); err != nil {
		t.Fatalf("long listing: %v", err)
	}
	runs, _ := os.ReadFile(mark)
	if n := strings.Count(string(runs), "run") - strings.Count(string(before), "run"); n != 1 {
		t.Errorf("the long listing ran the command %d times, want 1", n)
	}
	want := 2
	if sess.FS.RangeParts() > 1 {
		want = 3
	}
	if n := strings.Count(string(runs), "run"); n < want {
		t.Errorf("the command ran %d times, want at least %d (main, range and stream channels)", n, want)
	}
	log, _ := os.ReadFile(srv.LogPath)
	if strings.Contains(string(log), "subsystem request for sftp") {
		t.Error("the sftp subsystem was asked for")
	}
}

// TestSSHDSFTPServerCommandFailsClearly: a command that asks for a password
// (as sudo without -n or a NOPASSWD rule does) or fails fails the dial with
// a *ServerCommandError quoting its exit status and what it said.
func TestSSHDSFTPServerCommandFailsClearly(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	d := remote.Dialer{SFTPServer: "sh -c 'echo \"sudo: a password is required\" >&2; exit 1'", ReconnectAttempts: -1}
	_, err := d.Dial(context.Background(), hostFor(t, srv))
	var ce *remote.ServerCommandError
	if !errors.As(err, &ce) {
		t.Fatalf("Dial: %v, want a *ServerCommandError", err)
	}
	if ce.ExitStatus != 1 || !strings.Contains(ce.Stderr, "sudo: a password is required") {
		t.Errorf("exit status %d, stderr %q", ce.ExitStatus, ce.Stderr)
	}
	for _, want := range []string{"exit status 1", "sudo: a password is required", "sudo -n"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not say %q", err, want)
		}
	}

	d.SFTPServer = "/no/such/sftp-server"
	_, err = d.Dial(context.Background(), hostFor(t, srv))
	if !errors.As(err, &ce) || ce.ExitStatus != 127 {
		t.Fatalf("missing command: %v, want a *ServerCommandError with exit status 127", err)
	}
}
