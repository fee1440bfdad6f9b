package remote

import (
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"sync"
	"time"
)

// proxyCommandConn runs command through sh -c and speaks SSH over its
// standard input and output, as OpenSSH's ProxyCommand does. The command's
// standard error goes to stderr (nil discards it).
func proxyCommandConn(ctx context.Context, command, addr string, stderr io.Writer) (net.Conn, error) {
	cmd := exec.Command("sh", "-c", "exec "+command)
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("ProxyCommand %q: %w", command, err)
	}
	c := &cmdConn{cmd: cmd, r: out, w: in, addr: pipeAddr(addr)}
	if ctx.Err() != nil {
		c.Close()
		return nil, ctx.Err()
	}
	return c, nil
}

// cmdConn is a net.Conn over a child process's pipes.
type cmdConn struct {
	cmd  *exec.Cmd
	r    io.ReadCloser
	w    io.WriteCloser
	addr pipeAddr
	once sync.Once
}

func (c *cmdConn) Read(p []byte) (int, error)  { return c.r.Read(p) }
func (c *cmdConn) Write(p []byte) (int, error) { return c.w.Write(p) }

// Close closes both pipes, stops the command and reaps it.
func (c *cmdConn) Close() error {
	c.once.Do(func() {
		c.w.Close()
		c.r.Close()
		if c.cmd.Process != nil {
			_ = c.cmd.Process.Kill()
		}
		_ = c.cmd.Wait()
	})
	return nil
}

func (c *cmdConn) LocalAddr() net.Addr                { return pipeAddr("proxycommand:0") }
func (c *cmdConn) RemoteAddr() net.Addr               { return c.addr }
func (c *cmdConn) SetDeadline(time.Time) error        { return errNoDeadline }
func (c *cmdConn) SetReadDeadline(time.Time) error    { return errNoDeadline }
func (c *cmdConn) SetWriteDeadline(t time.Time) error { return errNoDeadline }

var errNoDeadline = fmt.Errorf("deadlines are not supported on a ProxyCommand connection")

// pipeAddr is the host:port a ProxyCommand reaches. known_hosts checks
// compare it with the host name, as OpenSSH does for proxied connections.
type pipeAddr string

func (pipeAddr) Network() string  { return "pipe" }
func (a pipeAddr) String() string { return string(a) }
