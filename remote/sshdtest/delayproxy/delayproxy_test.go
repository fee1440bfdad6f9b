package delayproxy

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"os"
	"slices"
	"sync"
	"testing"
	"time"
)

// echoServer listens on loopback and echoes every connection until the
// peer half-closes, then half-closes in turn. It stops when t ends.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				io.Copy(c, c)
				c.(*net.TCPConn).CloseWrite()
			})
		}
	})
	return ln.Addr().String()
}

func dial(t *testing.T, addr string) *net.TCPConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*net.TCPConn)
}

// TestRoundTripDelayed checks the mechanism, not its precision: every
// ping-pong through a 10 ms proxy takes at least 10 ms (bytes are never
// written before they are due), and the median is not absurdly late.
func TestRoundTripDelayed(t *testing.T) {
	const rtt = 10 * time.Millisecond
	p := Start(t, echoServer(t), rtt)
	if p.Delay != rtt/2 {
		t.Fatalf("Delay = %v, want %v", p.Delay, rtt/2)
	}
	if host, _, _ := net.SplitHostPort(p.Addr); host != "127.0.0.1" {
		t.Fatalf("Addr = %q, want loopback", p.Addr)
	}
	c := dial(t, p.Addr)
	var rtts []time.Duration
	buf := []byte{0}
	for i := range 15 {
		buf[0] = byte(i)
		start := time.Now()
		if _, err := c.Write(buf); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			t.Fatal(err)
		}
		d := time.Since(start)
		if buf[0] != byte(i) {
			t.Fatalf("ping %d came back as %d", i, buf[0])
		}
		if d < rtt {
			t.Errorf("ping %d: round trip %v, shorter than the %v added", i, d, rtt)
		}
		rtts = append(rtts, d)
	}
	slices.Sort(rtts)
	med := rtts[len(rtts)/2]
	t.Logf("round trips: min %v, median %v, max %v", rtts[0], med, rtts[len(rtts)-1])
	if med > 10*rtt {
		t.Errorf("median round trip %v, want about %v", med, rtt)
	}
}

// TestBulkIntactAndPipelined pushes 8 MiB both ways at once and checks
// that it arrives intact, and that the proxy had many reads in flight at
// once (queued by time stamp) instead of sleeping per read.
func TestBulkIntactAndPipelined(t *testing.T) {
	p := Start(t, echoServer(t), 10*time.Millisecond)
	c := dial(t, p.Addr)
	data := make([]byte, 8<<20)
	rand.Read(data)
	errc := make(chan error, 1)
	go func() {
		_, err := c.Write(data)
		if err == nil {
			err = c.CloseWrite()
		}
		errc <- err
	}()
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("echoed %d bytes, not the %d sent", len(got), len(data))
	}
	if d := p.maxDepth.Load(); d < 2 {
		t.Errorf("at most %d chunk(s) queued: reads are not pipelined", d)
	}
}

// TestHalfCloseAndManyConns checks that the end of one direction is passed
// on as a half-close while the other keeps flowing, on several connections
// at once.
func TestHalfCloseAndManyConns(t *testing.T) {
	p := Start(t, echoServer(t), 2*time.Millisecond)
	var wg sync.WaitGroup
	for i := range 8 {
		c := dial(t, p.Addr)
		wg.Go(func() {
			msg := bytes.Repeat([]byte{byte(i)}, 1000+i)
			if _, err := c.Write(msg); err != nil {
				t.Error(err)
				return
			}
			if err := c.CloseWrite(); err != nil {
				t.Error(err)
				return
			}
			got, err := io.ReadAll(c)
			if err != nil || !bytes.Equal(got, msg) {
				t.Errorf("conn %d: got %d bytes, err %v", i, len(got), err)
			}
		})
	}
	wg.Wait()
}

// TestCloseCutsConnections checks that Close ends live connections and
// returns, and that the proxy then refuses new ones.
func TestCloseCutsConnections(t *testing.T) {
	p, err := New(echoServer(t), 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, p.Addr)
	if _, err := c.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read after Close: %v, want the connection cut", err)
	}
	if c2, err := net.Dial("tcp", p.Addr); err == nil {
		c2.Close()
		t.Fatal("the proxy still accepts connections after Close")
	}
	p.Close() // a second Close is harmless
}

func TestNegativeRTT(t *testing.T) {
	if _, err := New("127.0.0.1:1", -time.Millisecond); err == nil {
		t.Fatal("New accepted a negative round trip")
	}
}

// BenchmarkThroughput measures one-way bandwidth through a 10 ms proxy
// (go test -bench . ./remote/sshdtest/delayproxy); the delay must not
// limit it.
func BenchmarkThroughput(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				io.Copy(io.Discard, c)
				c.Close()
			}()
		}
	}()
	p, err := New(ln.Addr().String(), 10*time.Millisecond)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	c, err := net.Dial("tcp", p.Addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 1<<20)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		if _, err := c.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
}
