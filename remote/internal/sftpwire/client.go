package sftpwire

import (
	"context"
	"fmt"
	"io"
	"sync"
)

// Reply is a server's answer to one request.
type Reply struct {
	// Type is the packet type.
	Type byte
	// Body is what follows the request id.
	Body []byte
}

// Client sends requests on an SFTP channel and hands each answer to the
// request it answers, by id, whatever order they come in. One goroutine
// reads answers until the channel ends; then every waiting and later
// request fails with why it ended. Its methods are safe for concurrent
// use. The Client does not own the channel: its owner closes it, which
// ends the Client.
type Client struct {
	w    io.Writer
	max  uint32
	ends chan struct{} // closed when the reading loop ended

	mu      sync.Mutex // guards the fields below and writes to w
	id      uint32
	waiting map[uint32]chan Reply
	err     error // why the channel ended
	buf     []byte
}

// NewClient says hello on r and w (see Hello) and starts the goroutine
// that reads answers of at most max bytes from r. It returns the
// extensions the server listed.
func NewClient(r io.Reader, w io.Writer, max uint32) (*Client, map[string]string, error) {
	ext, err := Hello(r, w, max)
	if err != nil {
		return nil, nil, err
	}
	return Start(r, w, max), ext, nil
}

// Start starts a Client on a channel whose handshake is done.
func Start(r io.Reader, w io.Writer, max uint32) *Client {
	c := &Client{w: w, max: max, ends: make(chan struct{}), waiting: map[uint32]chan Reply{}}
	go c.read(r)
	return c
}

// Done returns a channel that is closed when the Client has stopped
// reading: the channel ended or broke the protocol.
func (c *Client) Done() <-chan struct{} { return c.ends }

// Err returns why the Client stopped, or nil while it runs.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// read hands every answer to the request waiting for it, until the
// channel ends.
func (c *Client) read(r io.Reader) {
	defer close(c.ends)
	for {
		typ, body, err := ReadPacket(r, c.max)
		var id uint32
		if err == nil {
			var ok bool
			if id, body, ok = CutUint32(body); !ok {
				err = fmt.Errorf("%w: answer without a request id", ErrProtocol)
			}
		}
		c.mu.Lock()
		if err != nil {
			c.stop(err)
			c.mu.Unlock()
			return
		}
		if ch, ok := c.waiting[id]; ok {
			delete(c.waiting, id)
			ch <- Reply{Type: typ, Body: body}
		}
		c.mu.Unlock()
	}
}

// stop records why the channel ended and wakes every waiting request.
// c.mu is held.
func (c *Client) stop(err error) {
	if c.err == nil {
		c.err = fmt.Errorf("sftp channel ended: %w", err)
	}
	for id, ch := range c.waiting {
		close(ch)
		delete(c.waiting, id)
	}
}

// Request sends a request of type typ with a new id followed by payload,
// and waits for its answer, for the channel to end, or for ctx to be
// done. A request whose ctx is done is forgotten: its answer, when it
// comes, is dropped.
func (c *Client) Request(ctx context.Context, typ byte, payload []byte) (Reply, error) {
	ch := make(chan Reply, 1)
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return Reply{}, err
	}
	c.id++
	id := c.id
	c.waiting[id] = ch
	c.buf = Finish(append(BeginID(c.buf[:0], typ, id), payload...))
	_, err := c.w.Write(c.buf)
	if err != nil {
		delete(c.waiting, id)
	}
	c.mu.Unlock()
	if err != nil {
		return Reply{}, err
	}
	select {
	case rep, ok := <-ch:
		if !ok {
			return Reply{}, c.Err()
		}
		return rep, nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.waiting, id)
		c.mu.Unlock()
		return Reply{}, ctx.Err()
	}
}

// Call is Request that turns a STATUS answer into an error: a
// *sftp.StatusError (see StatusError) unless its code is OK, in which
// case the Reply says STATUS and err is nil.
func (c *Client) Call(ctx context.Context, typ byte, payload []byte) (Reply, error) {
	rep, err := c.Request(ctx, typ, payload)
	if err != nil || rep.Type != TypeStatus {
		return rep, err
	}
	st, err := ParseStatus(rep.Body)
	if err != nil {
		return Reply{}, err
	}
	if st.Code != StatusOK {
		return Reply{}, StatusError(st.Code)
	}
	return rep, nil
}
