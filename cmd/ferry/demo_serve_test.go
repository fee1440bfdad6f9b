package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestE2EDemoServeWithOpenSSH runs `ferry demo --serve DIR`, takes the
// printed sftp command line, and drives OpenSSH's sftp with it: list, put
// and get. It then stops the server with SIGINT and checks that the key
// directory named in the command is gone.
func TestE2EDemoServeWithOpenSSH(t *testing.T) {
	t.Parallel()
	sftpPath, err := exec.LookPath("sftp")
	if err != nil {
		if os.Getenv("FERRY_REQUIRE_SSHD") == "1" {
			t.Fatal("OpenSSH sftp is not installed")
		}
		t.Skip("OpenSSH sftp is not installed")
	}
	bin := ferryBinary(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "served.txt"), []byte("from the demo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	srv := exec.CommandContext(ctx, bin, "demo", "--serve", dir)
	out, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	srv.Stderr = &stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()

	var line string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "sftp ") {
			line = sc.Text()
			break
		}
	}
	if line == "" {
		t.Fatalf("no line starting with 'sftp ' was printed; stderr: %s", stderr.String())
	}
	go func() {
		for sc.Scan() {
		}
	}()

	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "up.txt"), []byte("uploaded by OpenSSH\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	batch := filepath.Join(work, "batch")
	if err := os.WriteFile(batch, []byte("ls -1\nput up.txt\nget served.txt got.txt\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Run the printed command as a shell would, adding only -F /dev/null (so
	// no ~/.ssh/config is read) and -b (batch mode).
	shellLine := strings.Replace(line, "sftp ", shq(sftpPath)+" -F /dev/null -b "+shq(batch)+" ", 1)
	cmd := exec.CommandContext(ctx, "sh", "-c", shellLine)
	cmd.Dir = work
	res, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", shellLine, err, res)
	}
	if !strings.Contains(string(res), "served.txt") {
		t.Fatalf("sftp ls did not show served.txt:\n%s", res)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "up.txt")); err != nil || string(b) != "uploaded by OpenSSH\n" {
		t.Fatalf("put: %q, %v", b, err)
	}
	if b, err := os.ReadFile(filepath.Join(work, "got.txt")); err != nil || string(b) != "from the demo\n" {
		t.Fatalf("get: %q, %v", b, err)
	}

	keyDir := ""
	fields := strings.Fields(line)
	for i, f := range fields {
		if f == "-i" && i+1 < len(fields) {
			keyDir = filepath.Dir(strings.Trim(fields[i+1], "'"))
		}
	}
	if err := srv.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := srv.Wait(); err != nil {
		t.Fatalf("server exit: %v; stderr: %s", err, stderr.String())
	}
	if _, err := os.Stat(keyDir); !os.IsNotExist(err) {
		t.Fatalf("key directory %q still exists after the server stopped (%v)", keyDir, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "served.txt")); err != nil {
		t.Fatalf("a DIR given on the command line must be left in place: %v", err)
	}
}
