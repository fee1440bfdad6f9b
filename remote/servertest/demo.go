package servertest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/ferry-tui/ferry/remote/demo"
	"golang.org/x/crypto/ssh"
)

// demoBackend runs ferry's demo server inside the test binary, behind a
// proxy on Server.Port. The demo server listens on a port of its own,
// makes its own host and client keys whenever it starts, and can only be
// closed as a whole; the proxy gives the test a fixed port across
// restarts and a way to cut or freeze connections.
type demoBackend struct {
	s         *Server
	clientDir string
	ds        *demo.Server
	px        *proxy
}

// newDemo prepares the demo server; launch starts it.
func newDemo(s *Server) *demoBackend {
	return &demoBackend{s: s, clientDir: filepath.Join(s.base, "client")}
}

// newHostKeys does nothing: the demo server makes new keys at every start.
func (b *demoBackend) newHostKeys() error { return nil }

// launch listens on s.Port (unless the proxy already does), starts a demo
// server on Dir, writes its client key to ClientKeyPath and points the
// proxy at it.
func (b *demoBackend) launch() error {
	s := b.s
	if b.px == nil {
		px, err := listenProxy(s.Addr, s.LogPath)
		if errors.Is(err, syscall.EADDRINUSE) {
			return errPortTaken
		}
		if err != nil {
			return err
		}
		b.px = px
	}
	// The demo serves its directory as the client's "/"; serving "/" and
	// starting in Dir keeps Dir's path the same for the client as on disk.
	ds, err := demo.StartIn("/", s.Dir)
	if err != nil {
		return fmt.Errorf("demo.StartIn: %w", err)
	}
	if err := os.MkdirAll(b.clientDir, 0o700); err != nil {
		ds.Close()
		return err
	}
	keyPath, _, err := ds.WriteClientFiles(b.clientDir)
	if err == nil {
		err = os.WriteFile(keyPath+".pub", ssh.MarshalAuthorizedKey(ds.ClientSigner.PublicKey()), 0o644)
	}
	if err != nil {
		ds.Close()
		return err
	}
	b.ds = ds
	b.px.setTarget(ds.Addr)
	b.px.logf("serving %s with the demo server on %s", s.Dir, ds.Addr)
	s.ClientKeyPath, s.ClientSigner = keyPath, ds.ClientSigner
	s.HostKeys = []ssh.PublicKey{ds.HostKey}
	s.PID = os.Getpid()
	return nil
}

// stop closes the proxy and the demo server with every connection.
func (b *demoBackend) stop() {
	b.px.close()
	b.px = nil
	_ = b.ds.Close()
}

// killSessions has the proxy close every connection.
func (b *demoBackend) killSessions() bool {
	b.px.killAll()
	return true
}

// signalSessions has the proxy stop or resume passing bytes.
func (b *demoBackend) signalSessions(stop bool) bool {
	b.px.freeze(stop)
	return true
}
