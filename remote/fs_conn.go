package remote

import (
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// NewFSOn starts an SFTP client with options opts on a channel of its
// own on c and wraps it as NewFS does, with what Dial's connections have
// beside pkg/sftp: ferry's own pipelined requests for small files. The
// connection stays the caller's: the FS cannot reconnect, and closing c
// ends it.
func NewFSOn(label string, c *ssh.Client, opts ...sftp.ClientOption) (*FS, error) {
	sc, mux, err := newMuxedSFTPClient(c, "", opts)
	if err != nil {
		return nil, err
	}
	l := newPlainLink(sc)
	l.mux = mux
	conn := newConnector(label, nil, 0, DefaultBackoff, nil)
	conn.start(l)
	return &FS{label: label, c: conn}, nil
}
