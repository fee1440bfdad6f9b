package sshdtest

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// Restart stops sshd as Stop does and starts it again on the same port
// with the same configuration, so that a client can reconnect to the same
// address. With newHostKeys, sshd gets fresh host keys of the same types
// first: HostKeys changes, while known_hosts files written before still
// list the old keys, which is how a test sees a client refuse a changed
// host key on reconnect. PID changes; the log of the previous run is kept
// beside LogPath with ".prev" appended. Restart fails t if sshd does not
// come back, quoting its log. It must not run concurrently with Stop or
// Signal; Start's cleanup stops the restarted sshd.
func (s *Server) Restart(t testing.TB, newHostKeys bool) {
	t.Helper()
	s.Stop()
	if newHostKeys {
		s.replaceHostKeys(t)
	}
	bin := findSSHD(t, defaultSSHD)
	cfgPath := filepath.Join(s.base, "sshd_config")
	_ = os.Rename(s.LogPath, s.LogPath+".prev")
	// The old sshd's port is free again at once (sshd binds with
	// SO_REUSEADDR), unless another test took it meanwhile: wait a little
	// for it, then give up.
	deadline := time.Now().Add(readyTimeout)
	for {
		err := s.launch(bin, cfgPath)
		if err == nil {
			break
		}
		log := s.readLog()
		if !bindFailed(log) || time.Now().After(deadline) {
			t.Fatalf("sshdtest: restart %s on %s: %v\n%s", bin, s.Addr, err, s.logTail(log))
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.stopOnce = sync.Once{}
}

// replaceHostKeys writes new host keys over the files of the types sshd
// offers and updates HostKeys.
func (s *Server) replaceHostKeys(t testing.TB) {
	t.Helper()
	for _, k := range []struct {
		keyType, name string
		dst           *ssh.PublicKey
	}{
		{ssh.KeyAlgoED25519, "ssh_host_ed25519_key", &s.HostKeys.Ed25519},
		{ssh.KeyAlgoECDSA256, "ssh_host_ecdsa_key", &s.HostKeys.ECDSA},
	} {
		if *k.dst == nil {
			continue
		}
		signer, err := writeKey(filepath.Join(s.base, k.name), k.keyType, "sshdtest-host")
		if err != nil {
			t.Fatalf("sshdtest: new host key: %v", err)
		}
		*k.dst = signer.PublicKey()
	}
}
