// Package demo runs an SSH server with an SFTP subsystem inside the
// process, on 127.0.0.1 only, so that ferry can be tried with nothing else
// installed. Its host key and the one client key it accepts are generated
// afresh for every server and never written anywhere the caller did not ask.
//
// The served directory is the client's "/", as under OpenSSH's
// ChrootDirectory: sessions start there, ".." goes no higher, symbolic
// links are followed inside it, and nothing outside it can be read,
// written, listed or changed.
package demo

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// User is the login name the demo server expects.
const User = "demo"

// Server is a running demo SSH/SFTP server.
type Server struct {
	// Dir is the directory served, absolute. SFTP clients see it as "/".
	Dir string
	// Addr is the listening address, always on 127.0.0.1.
	Addr string
	// Port is the listening TCP port.
	Port int
	// HostKey is the server's public host key.
	HostKey ssh.PublicKey
	// ClientSigner is the only client key the server accepts.
	ClientSigner ssh.Signer

	clientPEM []byte
	root      *os.Root
	start     string
	ln        net.Listener
	config    *ssh.ServerConfig

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// Start serves dir on a free port of 127.0.0.1 until Close is called.
// Clients see dir as "/", and their sessions start there.
func Start(dir string) (*Server, error) {
	return StartIn(dir, "/")
}

// StartIn is Start with sessions starting in start, a client path (so
// "/" is dir itself): what realpath "." answers and what relative paths
// are relative to. Tests that need the client's paths to be the
// machine's own serve "/" and start in their directory.
func StartIn(dir, start string) (*Server, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(abs); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("demo: %s is not a directory", abs)
	}
	if !path.IsAbs(start) {
		return nil, fmt.Errorf("demo: start directory %q is not absolute", start)
	}
	start = path.Clean(start)
	_, hostPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	hostSigner, err := ssh.NewSignerFromKey(hostPriv)
	if err != nil {
		return nil, err
	}
	_, clientPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	clientSigner, err := ssh.NewSignerFromKey(clientPriv)
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(clientPriv, "ferry demo client")
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, err
	}
	j := &jail{root}
	if err := j.checkDir(start); err != nil {
		root.Close()
		return nil, fmt.Errorf("demo: start directory: %w", err)
	}
	s := &Server{
		Dir:          abs,
		root:         root,
		start:        start,
		HostKey:      hostSigner.PublicKey(),
		ClientSigner: clientSigner,
		clientPEM:    pem.EncodeToMemory(block),
		conns:        map[net.Conn]struct{}{},
	}
	want := clientSigner.PublicKey().Marshal()
	s.config = &ssh.ServerConfig{
		PublicKeyCallback: func(meta ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if meta.User() == User && bytes.Equal(key.Marshal(), want) {
				return &ssh.Permissions{}, nil
			}
			return nil, errors.New("demo: unknown user or key")
		},
		ServerVersion: "SSH-2.0-ferry-demo",
	}
	s.config.AddHostKey(hostSigner)
	s.ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		root.Close()
		return nil, err
	}
	s.Addr = s.ln.Addr().String()
	s.Port = s.ln.Addr().(*net.TCPAddr).Port
	s.wg.Add(1)
	go s.acceptLoop()
	return s, nil
}

// Close stops listening, drops every connection and waits for them to end.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	err := s.ln.Close()
	s.wg.Wait()
	if rerr := s.root.Close(); err == nil {
		err = rerr
	}
	return err
}

// KnownHostsLine is the server's host key as a known_hosts line for
// [127.0.0.1]:PORT.
func (s *Server) KnownHostsLine() string {
	return knownhosts.Line([]string{knownhosts.Normalize(s.Addr)}, s.HostKey)
}

// WriteClientFiles writes the client private key (0600) and a known_hosts
// file holding the server's host key into dir, which should be private.
func (s *Server) WriteClientFiles(dir string) (keyPath, knownHostsPath string, err error) {
	keyPath = filepath.Join(dir, "id_ed25519")
	knownHostsPath = filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(keyPath, s.clientPEM, 0o600); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(knownHostsPath, []byte(s.KnownHostsLine()+"\n"), 0o600); err != nil {
		return "", "", err
	}
	return keyPath, knownHostsPath, nil
}

// SFTPCommand is an OpenSSH sftp command line that connects to the server
// with the files WriteClientFiles wrote.
func (s *Server) SFTPCommand(keyPath, knownHostsPath string) string {
	return "sftp -P " + strconv.Itoa(s.Port) + " -i " + shellQuote(keyPath) +
		" -o IdentitiesOnly=yes -o UserKnownHostsFile=" + shellQuote(knownHostsPath) +
		" -o StrictHostKeyChecking=yes " + User + "@127.0.0.1"
}

func shellQuote(s string) string {
	for _, r := range s {
		if !(r == '/' || r == '.' || r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return "'" + string(bytes.ReplaceAll([]byte(s), []byte("'"), []byte(`'\''`))) + "'"
		}
	}
	return s
}

func (s *Server) acceptLoop() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			s.serveConn(c)
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
			c.Close()
		}()
	}
}

func (s *Server) serveConn(c net.Conn) {
	sc, chans, reqs, err := ssh.NewServerConn(c, s.config)
	if err != nil {
		return
	}
	defer sc.Close()
	go ssh.DiscardRequests(reqs)
	var wg sync.WaitGroup
	defer wg.Wait()
	for nc := range chans {
		if nc.ChannelType() != "session" {
			_ = nc.Reject(ssh.UnknownChannelType, "only session channels")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.serveSession(ch, creqs)
		}()
	}
}

// serveSession answers a session channel: only the sftp subsystem is
// offered, no shell and no commands, and it is confined to Dir.
func (s *Server) serveSession(ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer ch.Close()
	for req := range reqs {
		if req.Type != "subsystem" || !isSFTP(req.Payload) {
			_ = req.Reply(false, nil)
			continue
		}
		_ = req.Reply(true, nil)
		go ssh.DiscardRequests(reqs)
		srv := sftp.NewRequestServer(ch, handlers{&jail{s.root}}.sftpHandlers(),
			sftp.WithStartDirectory(s.start))
		if err := srv.Serve(); err != nil && !errors.Is(err, io.EOF) {
			_ = srv.Close()
			return
		}
		_ = srv.Close()
		_, _ = ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{0}))
		return
	}
}

// isSFTP reports whether a subsystem request payload names "sftp".
func isSFTP(payload []byte) bool {
	var p struct{ Name string }
	return ssh.Unmarshal(payload, &p) == nil && p.Name == "sftp"
}
