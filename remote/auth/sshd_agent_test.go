package auth_test

import (
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/auth"
	"golang.org/x/crypto/ssh"
)

func TestAuthSSHDAgentIdentitiesOnly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// The configured identity is only a public key file: its private half
	// is in the agent, as with hardware or password-manager agents.
	configured := authSigner(t)
	pubOnly := filepath.Join(dir, "id_agent.pub")
	if err := os.WriteFile(pubOnly, ssh.MarshalAuthorizedKey(configured.PublicKey()), 0o644); err != nil {
		t.Fatal(err)
	}
	b, c := authSigner(t), authSigner(t)
	sock, ag := authStartAgent(t, b, c, configured)
	fp := func(s ssh.Signer) string { return ssh.FingerprintSHA256(s.PublicKey()) }

	cases := []struct {
		name           string
		identitiesOnly bool
		authorized     ssh.Signer
		wantOK         bool
		wantOffered    []string
	}{
		{"IdentitiesOnly offers the configured agent key", true, configured, true, []string{fp(configured)}},
		{"IdentitiesOnly offers no other agent key", true, c, false, []string{fp(configured)}},
		{"without IdentitiesOnly the configured key comes first", false, c, true, []string{fp(configured), fp(b), fp(c)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, ak := authSSHD(t)
			authWriteKeys(t, ak, tc.authorized.PublicKey())
			h := authSSHDHost(s, pubOnly)
			h.IdentityAgent = "" // $SSH_AUTH_SOCK, passed in auth.Env
			h.IdentitiesOnly = tc.identitiesOnly
			before := len(ag.signedWith())
			err := sshdConnect(t, s, h, auth.Env{AgentSocket: sock}, &authPrompter{t: t, strict: true})
			if (err == nil) != tc.wantOK {
				t.Fatalf("login error = %v, want success %v", err, tc.wantOK)
			}
			if got := sshdOffered(t, s); !slices.Equal(got, tc.wantOffered) {
				t.Errorf("sshd saw offers %q, want %q", got, tc.wantOffered)
			}
			signed := ag.signedWith()[before:]
			if tc.wantOK && !slices.Equal(signed, []string{fp(tc.authorized)}) {
				t.Errorf("agent signed with %q, want only %q", signed, fp(tc.authorized))
			}
		})
	}

	t.Run("explicit IdentityAgent socket", func(t *testing.T) {
		s, ak := authSSHD(t)
		authWriteKeys(t, ak, configured.PublicKey())
		h := authSSHDHost(s, pubOnly)
		h.IdentityAgent = sock
		if err := sshdConnect(t, s, h, auth.Env{}, &authPrompter{t: t, strict: true}); err != nil {
			t.Fatalf("login through IdentityAgent %s failed: %v", sock, err)
		}
	})

	t.Run("IdentityAgent none", func(t *testing.T) {
		s, ak := authSSHD(t)
		authWriteKeys(t, ak, b.PublicKey())
		h := authSSHDHost(s, pubOnly)
		h.IdentityAgent = "none"
		if err := sshdConnect(t, s, h, auth.Env{AgentSocket: sock}, &authPrompter{t: t, strict: true}); err == nil {
			t.Fatal("login succeeded with the agent disabled")
		}
		if got := sshdOffered(t, s); !slices.Equal(got, []string{fp(configured)}) {
			t.Errorf("sshd saw offers %q, want only the configured key", got)
		}
	})
}

func TestAuthSSHDRealAgent(t *testing.T) {
	t.Parallel()
	agentBin, err1 := exec.LookPath("ssh-agent")
	addBin, err2 := exec.LookPath("ssh-add")
	if err1 != nil || err2 != nil {
		t.Skip("ssh-agent or ssh-add not installed")
	}
	dir := t.TempDir()
	sock := filepath.Join(dir, "agent.sock")
	cmd := exec.Command(agentBin, "-D", "-a", sock)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ssh-agent did not create %s", sock)
		}
		time.Sleep(20 * time.Millisecond)
	}
	sshAdd := func(path string) {
		t.Helper()
		add := exec.Command(addBin, path)
		add.Env = append(os.Environ(), "SSH_AUTH_SOCK="+sock)
		if out, err := add.CombinedOutput(); err != nil {
			t.Fatalf("ssh-add %s: %v\n%s", path, err, out)
		}
	}
	// The configured identity is an encrypted key file whose key the
	// agent also holds (added from an unencrypted copy, as ssh-add cannot
	// ask here): the agent signs and the passphrase is never asked.
	extra, extraSigner := authKey(t, dir, "id_extra", "")
	enc, encSigner := authKey(t, dir, "id_in_agent", "agent pw")
	raw, err := ssh.ParseRawPrivateKeyWithPassphrase(mustReadFile(t, enc), []byte("agent pw"))
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(raw, "copy")
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(t.TempDir(), "copy")
	if err := os.WriteFile(cp, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	sshAdd(extra)
	sshAdd(cp)
	encFP, extraFP := ssh.FingerprintSHA256(encSigner.PublicKey()), ssh.FingerprintSHA256(extraSigner.PublicKey())

	t.Run("IdentitiesOnly", func(t *testing.T) {
		s, ak := authSSHD(t)
		authWriteKeys(t, ak, extraSigner.PublicKey())
		h := authSSHDHost(s, enc)
		h.IdentityAgent, h.IdentitiesOnly = "", true
		if err := sshdConnect(t, s, h, auth.Env{AgentSocket: sock}, &authPrompter{t: t, strict: true}); err == nil {
			t.Fatal("IdentitiesOnly login succeeded with an agent key that is not configured")
		}
		if got := sshdOffered(t, s); !slices.Equal(got, []string{encFP}) {
			t.Errorf("sshd saw offers %q, want only the configured key %s", got, encFP)
		}
		authWriteKeys(t, ak, encSigner.PublicKey())
		if err := sshdConnect(t, s, h, auth.Env{AgentSocket: sock}, &authPrompter{t: t, strict: true}); err != nil {
			t.Fatalf("login with the configured agent key failed: %v", err)
		}
	})

	t.Run("all agent keys", func(t *testing.T) {
		s, ak := authSSHD(t)
		authWriteKeys(t, ak, extraSigner.PublicKey())
		h := authSSHDHost(s, enc)
		h.IdentityAgent = ""
		if err := sshdConnect(t, s, h, auth.Env{AgentSocket: sock}, &authPrompter{t: t, strict: true}); err != nil {
			t.Fatalf("login with the agent's other key failed: %v", err)
		}
		if got, want := sshdOffered(t, s), []string{encFP, extraFP}; !slices.Equal(got, want) {
			t.Errorf("sshd saw offers %q, want %q", got, want)
		}
	})
}

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAuthSSHDCertificate(t *testing.T) {
	t.Parallel()
	caDir := t.TempDir()
	ca := authSigner(t)
	caPub := filepath.Join(caDir, "ca.pub")
	if err := os.WriteFile(caPub, ssh.MarshalAuthorizedKey(ca.PublicKey()), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("CertificateFile", func(t *testing.T) {
		s, _ := authSSHD(t, "TrustedUserCAKeys "+caPub)
		dir := t.TempDir()
		key, signer := authKey(t, dir, "id_user", "")
		cert := authCert(t, ca, signer.PublicKey(), s.User)
		certFile := filepath.Join(t.TempDir(), "user-cert.pub")
		if err := os.WriteFile(certFile, ssh.MarshalAuthorizedKey(cert), 0o644); err != nil {
			t.Fatal(err)
		}
		h := authSSHDHost(s, key)
		h.CertificateFiles = []string{certFile}
		if err := sshdConnect(t, s, h, auth.Env{}, &authPrompter{t: t, strict: true}); err != nil {
			t.Fatalf("certificate login failed: %v\n%s", err, logOf(t, s))
		}
		// The certificate is offered first; the bare key, which is not
		// authorized, is never needed.
		if got := sshdOffered(t, s); !slices.Equal(got, []string{authFP(cert)}) {
			t.Errorf("sshd saw offers %q, want only the certificate", got)
		}
	})

	t.Run("KEY-cert.pub of an encrypted key", func(t *testing.T) {
		s, _ := authSSHD(t, "TrustedUserCAKeys "+caPub)
		dir := t.TempDir()
		key, signer := authKey(t, dir, "id_user", "cert pw")
		cert := authCert(t, ca, signer.PublicKey(), s.User)
		if err := os.WriteFile(key+"-cert.pub", ssh.MarshalAuthorizedKey(cert), 0o644); err != nil {
			t.Fatal(err)
		}
		p := &authPrompter{t: t, secrets: []string{"cert pw"}}
		if err := sshdConnect(t, s, authSSHDHost(s, key), auth.Env{}, p); err != nil {
			t.Fatalf("certificate login failed: %v\n%s", err, logOf(t, s))
		}
		// As ssh: the key, refused without asking, then its certificate,
		// accepted, and only then the passphrase.
		want := []string{ssh.FingerprintSHA256(signer.PublicKey()), authFP(cert)}
		if got := sshdOffered(t, s); !slices.Equal(got, want) {
			t.Errorf("sshd saw offers %q, want %q", got, want)
		}
		if got := len(p.secretPrompts()); got != 1 {
			t.Errorf("asked %d times, want once", got)
		}
	})

	t.Run("certificate for another principal", func(t *testing.T) {
		s, _ := authSSHD(t, "TrustedUserCAKeys "+caPub)
		key, signer := authKey(t, t.TempDir(), "id_user", "")
		cert := authCert(t, ca, signer.PublicKey(), "someone-else")
		if err := os.WriteFile(key+"-cert.pub", ssh.MarshalAuthorizedKey(cert), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := sshdConnect(t, s, authSSHDHost(s, key), auth.Env{}, &authPrompter{t: t, strict: true}); err == nil {
			t.Fatal("login with a certificate for another principal succeeded")
		}
	})
}
