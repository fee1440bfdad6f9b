package remote

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/ferry-tui/ferry/remote/internal/sftpwire"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// pkg/sftp's API waits for each answer before a caller can send the next
// request, and sends no attributes with OPEN; a small file then costs a
// round trip per step. rawMux lets ferry speak SFTP itself on the main
// channel, beside pkg/sftp: it sits between pkg/sftp and the channel,
// writes whole packets of its own between pkg/sftp's, and takes the
// answers to them off the incoming stream before pkg/sftp reads it. Its
// request ids have the top bit set; pkg/sftp counts up from 1, so the two
// never meet (pkg/sftp would need 2^31 requests on one connection).
//
// The protocol lets a client send requests without waiting for answers,
// and a server must process the requests relating to one file in the
// order it receives them, with the same results as if each had waited
// for the one before (draft-ietf-secsh-filexfer-02, section 6). So a
// small file's mode, writes, times, flush and close go out together and
// cost one round trip; every answer is still checked. A request that
// depends on another's success (the rename after the close) still waits.

// SFTP version 3 open flags rawMux uses (its packet types and attribute
// flags are sftpwire's).
const (
	rawOpenRead  = 0x01
	rawOpenWrite = 0x02
	rawOpenCreat = 0x08
	rawOpenExcl  = 0x20

	rawIDBit = uint32(1) << 31
	// rawMaxAnswer bounds an answer to rawMux's own requests: a DATA of
	// rawChunk bytes and its header, or a STATUS or HANDLE.
	rawMaxAnswer = rawChunk + 1024
	// rawChunk is the most a single WRITE or READ of rawMux carries:
	// every SFTP server accepts 32 KiB.
	rawChunk = 32 << 10
)

// errRawProtocol is wrapped by the error for an answer rawMux cannot make
// sense of.
var errRawProtocol = errors.New("unexpected answer from the SFTP server")

// rawAnswer is the server's answer to one request: its type and what
// follows the request id.
type rawAnswer struct {
	typ  byte
	body []byte
}

// rawMux multiplexes ferry's own SFTP requests onto the channel pkg/sftp
// runs on. pkg/sftp reads through Read and writes through sftpWriter.
type rawMux struct {
	w   io.WriteCloser // the channel's input
	wmu sync.Mutex     // held for the whole of a packet, pkg/sftp's or ours
	// inPkt is how much of pkg/sftp's current packet is still to be
	// written. Only pkg/sftp's writer, which writes one packet at a time
	// under a lock of its own, touches it.
	inPkt int64

	r    *bufio.Reader // the channel's output
	pass int64         // how much of the current answer is pkg/sftp's

	// closer ends the whole channel (its input and output) when reading
	// stops: a writer blocked on a full window, holding wmu, then
	// returns, and pkg/sftp, whose reader closes the channel's input
	// under wmu as it ends, can end too.
	closer io.Closer

	mu      sync.Mutex
	nextID  uint32
	waiting map[uint32]chan rawAnswer
	err     error // why reading stopped; set once
}

// newRawMux returns a mux over a channel's output r and input w;
// closer ends the channel.
func newRawMux(r io.Reader, w io.WriteCloser, closer io.Closer) *rawMux {
	return &rawMux{w: w, r: bufio.NewReaderSize(r, 32<<10), closer: closer, waiting: make(map[uint32]chan rawAnswer)}
}

// inOrderServer reports whether an SFTP server is known to process
// requests on one file in the order it receives them, as the protocol
// requires: OpenSSH's sftp-server (or internal-sftp), which handles one
// request at a time. Not every server does: one built on pkg/sftp (ferry
// demo's, for one) runs reads and writes beside its other requests, so a
// time or a flush sent after a write can be applied before it. Such
// servers get no rawMux and pay a round trip per step.
//
// The SSH banner (serverVersion) names the SSH server only: OpenSSH's
// sshd may run another SFTP server for its sftp subsystem. So the SFTP
// server's VERSION must also advertise an extension of OpenSSH's
// sftp-server that other servers seldom copy (ext looks one up, as
// (*sftp.Client).HasExtension does): lsetstat@openssh.com (OpenSSH 8.0)
// or limits@openssh.com (8.2). An OpenSSH older than 8.0 gets no rawMux.
func inOrderServer(serverVersion string, ext func(name string) (string, bool)) bool {
	if !openSSHVersion.MatchString(serverVersion) {
		return false
	}
	for _, name := range []string{"lsetstat@openssh.com", "limits@openssh.com"} {
		if _, ok := ext(name); ok {
			return true
		}
	}
	return false
}

// newMuxedSFTPClient starts an SFTP client as newSFTPClient does, with a
// rawMux between it and its channel, and returns both. With command set,
// or an SSH server other than OpenSSH's, it is newSFTPClient's, without
// a mux. When the SFTP server turns out not to be known to keep the
// order of requests (inOrderServer), the mux stays in the client's way,
// passing everything through, and is not returned.
func newMuxedSFTPClient(c *ssh.Client, command string, opts []sftp.ClientOption) (*sftp.Client, *rawMux, error) {
	if command != "" || !openSSHVersion.MatchString(string(c.ServerVersion())) {
		sc, err := newSFTPClient(c, command, opts)
		return sc, nil, err
	}
	sess, err := c.NewSession()
	if err != nil {
		return nil, nil, err
	}
	w, err := sess.StdinPipe()
	if err != nil {
		sess.Close()
		return nil, nil, err
	}
	r, err := sess.StdoutPipe()
	if err != nil {
		sess.Close()
		return nil, nil, err
	}
	if err := sess.RequestSubsystem("sftp"); err != nil {
		sess.Close()
		return nil, nil, err
	}
	m := newRawMux(r, w, sess)
	sc, err := sftp.NewClientPipe(m, sftpWriter{m}, opts...)
	if err != nil {
		sess.Close()
		return nil, nil, err
	}
	if !inOrderServer(string(c.ServerVersion()), sc.HasExtension) {
		return sc, nil, nil
	}
	return sc, m, nil
}

// sftpWriter is pkg/sftp's way onto the channel. pkg/sftp writes a
// packet's header and then its payload, both under its own lock: the
// mux's write lock is taken at a header and let go once the packet is
// complete, so that none of rawMux's packets lands inside one of pkg/sftp's.
type sftpWriter struct{ m *rawMux }

// Write writes b, the start or the rest of one of pkg/sftp's packets.
func (s sftpWriter) Write(b []byte) (int, error) {
	m := s.m
	if m.inPkt <= 0 {
		if len(b) < 4 {
			return 0, fmt.Errorf("%w: a packet that does not start with its length", errRawProtocol)
		}
		m.wmu.Lock()
		m.inPkt = int64(binary.BigEndian.Uint32(b)) + 4
	}
	n, err := m.w.Write(b)
	m.inPkt -= int64(n)
	if err != nil || m.inPkt <= 0 {
		m.inPkt = 0
		m.wmu.Unlock()
	}
	return n, err
}

// Close closes the channel's input, never in the middle of one of
// rawMux's writes (x/crypto's channel does not allow a Write and a Close
// at once; pkg/sftp keeps its own apart with a lock of its own).
func (s sftpWriter) Close() error {
	s.m.wmu.Lock()
	defer s.m.wmu.Unlock()
	return s.m.w.Close()
}

// Read gives pkg/sftp the answers that are not rawMux's.
func (m *rawMux) Read(p []byte) (int, error) {
	for m.pass == 0 {
		if err := m.next(); err != nil {
			m.fail(err)
			return 0, err
		}
	}
	if int64(len(p)) > m.pass {
		p = p[:m.pass]
	}
	n, err := m.r.Read(p)
	m.pass -= int64(n)
	if err != nil {
		m.fail(err)
	}
	return n, err
}

// next reads the header of the next answer. One to rawMux's request is
// read whole and handed to its waiter; for one of pkg/sftp's, pass is set
// to its length and Read passes it on.
func (m *rawMux) next() error {
	h, err := m.r.Peek(9) // length, type and request id (or version)
	if err != nil {
		return err
	}
	length := binary.BigEndian.Uint32(h)
	typ := h[4]
	id := binary.BigEndian.Uint32(h[5:])
	if typ == sftpwire.TypeVersion || id&rawIDBit == 0 || length < 5 {
		m.pass = int64(length) + 4
		return nil
	}
	if length > rawMaxAnswer {
		return fmt.Errorf("%w: answer of %d bytes to request %#x", errRawProtocol, length, id)
	}
	b := make([]byte, 4+length)
	if _, err := io.ReadFull(m.r, b); err != nil {
		return err
	}
	m.mu.Lock()
	ch, ok := m.waiting[id]
	delete(m.waiting, id)
	m.mu.Unlock()
	if ok {
		ch <- rawAnswer{typ: typ, body: b[9:]}
	}
	return nil
}

// fail records that the channel's output ended with err (or made no
// sense), wakes every request still waiting and, the first time, ends
// the whole channel: a writer blocked on it (pkg/sftp's or the mux's,
// holding wmu) returns, so that pkg/sftp's reader, which closes the
// channel's input under wmu as it ends, can end, and with it the link.
func (m *rawMux) fail(err error) {
	m.mu.Lock()
	first := m.err == nil
	if first {
		m.err = fmt.Errorf("%w: %w", sftp.ErrSSHFxConnectionLost, err)
	}
	for id, ch := range m.waiting {
		close(ch)
		delete(m.waiting, id)
	}
	m.mu.Unlock()
	if first && m.closer != nil {
		_ = m.closer.Close() // the channel may have ended already
	}
}

// rawReq is one request to send: its type and what follows its id.
type rawReq struct {
	typ  byte
	body []byte
}

// send writes reqs in one go, in order, and returns one channel per
// request that yields its answer; a channel closed without one means the
// connection ended.
func (m *rawMux) send(reqs []rawReq) ([]chan rawAnswer, error) {
	chans := make([]chan rawAnswer, len(reqs))
	var buf []byte
	m.mu.Lock()
	if m.err != nil {
		err := m.err
		m.mu.Unlock()
		return nil, err
	}
	for i, r := range reqs {
		m.nextID++
		id := m.nextID | rawIDBit
		chans[i] = make(chan rawAnswer, 1)
		m.waiting[id] = chans[i]
		start := len(buf)
		buf = append(sftpwire.BeginID(buf, r.typ, id), r.body...)
		sftpwire.Finish(buf[start:])
	}
	m.mu.Unlock()
	m.wmu.Lock()
	_, err := m.w.Write(buf)
	m.wmu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", sftp.ErrSSHFxConnectionLost, err)
	}
	return chans, nil
}

// wait returns the answer on ch. It gives up when ctx ends or dead is
// closed (the link ended: pkg/sftp may have stopped reading).
func (m *rawMux) wait(ctx context.Context, dead <-chan struct{}, ch chan rawAnswer) (rawAnswer, error) {
	select {
	case a, ok := <-ch:
		if !ok {
			m.mu.Lock()
			err := m.err
			m.mu.Unlock()
			return rawAnswer{}, err
		}
		return a, nil
	case <-ctx.Done():
		return rawAnswer{}, ctx.Err()
	case <-dead:
		return rawAnswer{}, sftp.ErrSSHFxConnectionLost
	}
}

// rawStatus returns nil for an OK STATUS and the *sftp.StatusError for
// any other; want, when not STATUS, is the type expected instead.
func rawStatus(a rawAnswer, want byte) error {
	if a.typ == sftpwire.TypeStatus {
		code, _, ok := sftpwire.CutUint32(a.body)
		if !ok {
			return fmt.Errorf("%w: STATUS of %d bytes", errRawProtocol, len(a.body))
		}
		if code == sftpwire.StatusOK {
			if want != sftpwire.TypeStatus {
				return fmt.Errorf("%w: STATUS OK instead of packet type %d", errRawProtocol, want)
			}
			return nil
		}
		return sftpwire.StatusError(code)
	}
	if a.typ != want {
		return fmt.Errorf("%w: packet type %d instead of %d", errRawProtocol, a.typ, want)
	}
	return nil
}
