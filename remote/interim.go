package remote

import (
	"context"

	"github.com/ferry-tui/ferry/config"
	"github.com/skeema/knownhosts"
	"golang.org/x/crypto/ssh"
)

// hostKeyCheck returns the host-key callback and algorithm order for h.
// Interim: strict checking against the known_hosts files.
func (d *Dialer) hostKeyCheck(_ context.Context, h config.Host, addr string) (ssh.HostKeyCallback, []string, error) {
	db, err := knownhosts.NewDB(existing(h.UserKnownHostsFiles, h.GlobalKnownHostsFiles)...)
	if err != nil {
		return nil, nil, err
	}
	return db.HostKeyCallback(), db.HostKeyAlgorithms(addr), nil
}

// authMethods returns the auth methods for h. Interim: key files only.
func (d *Dialer) authMethods(_ context.Context, h config.Host, _ string) ([]ssh.AuthMethod, func(), error) {
	signers, err := loadSigners(h.IdentityFiles)
	if err != nil {
		return nil, nil, err
	}
	return []ssh.AuthMethod{ssh.PublicKeys(signers...)}, func() {}, nil
}
