package auth

import (
	"context"
	"fmt"
	"net"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// agentSocket resolves IdentityAgent as ssh does: "none" disables the
// agent, "" and "SSH_AUTH_SOCK" mean envSocket (the caller's
// $SSH_AUTH_SOCK), anything else is the socket path.
func agentSocket(identityAgent, envSocket string) string {
	switch {
	case strings.EqualFold(identityAgent, "none"):
		return ""
	case identityAgent == "", identityAgent == "SSH_AUTH_SOCK":
		return envSocket
	}
	return identityAgent
}

// agentConn is one connection to ssh-agent, open for one authentication.
type agentConn struct {
	conn   net.Conn
	client agent.ExtendedAgent
	// stop ends the watch that closes conn when the dial's context ends.
	stop func() bool
}

// agentKey is one key the agent holds.
type agentKey struct {
	conn    *agentConn
	pub     ssh.PublicKey
	comment string
}

// dialAgent connects to the agent's unix socket. The connection is closed
// when ctx ends, so an agent that stops answering cannot hold up the
// handshake beyond the caller's deadline.
func dialAgent(ctx context.Context, socket string) (*agentConn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		return nil, err
	}
	return &agentConn{
		conn:   conn,
		client: agent.NewClient(conn),
		stop:   context.AfterFunc(ctx, func() { conn.Close() }),
	}, nil
}

// list returns the agent's keys in the agent's order.
func (a *agentConn) list() ([]*agentKey, error) {
	keys, err := a.client.List()
	if err != nil {
		return nil, err
	}
	out := make([]*agentKey, 0, len(keys))
	for _, k := range keys {
		pub, err := ssh.ParsePublicKey(k.Marshal())
		if err != nil {
			continue // a key type x/crypto does not know
		}
		out = append(out, &agentKey{conn: a, pub: pub, comment: k.Comment})
	}
	return out, nil
}

// close closes the connection.
func (a *agentConn) close() {
	a.stop()
	a.conn.Close()
}

// sign asks the agent to sign data with pub, using algorithm ("" or the
// key's own, or rsa-sha2-256/512 for RSA keys).
func (k *agentKey) sign(pub ssh.PublicKey, data []byte, algorithm string) (*ssh.Signature, error) {
	var flags agent.SignatureFlags
	switch algorithm {
	case "", plainKey(pub).Type():
	case ssh.KeyAlgoRSASHA256:
		flags = agent.SignatureFlagRsaSha256
	case ssh.KeyAlgoRSASHA512:
		flags = agent.SignatureFlagRsaSha512
	default:
		return nil, fmt.Errorf("agent cannot sign with %s", algorithm)
	}
	return k.conn.client.SignWithFlags(pub, data, flags)
}
