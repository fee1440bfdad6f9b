package auth_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote/auth"
	"github.com/ferry-tui/ferry/remote/prompt"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"golang.org/x/crypto/ssh"
)

// authSSHD starts sshd reading authorized keys from a file of the test's
// own, which it returns (initially empty); extra are more sshd_config
// lines.
func authSSHD(t *testing.T, extra ...string) (*sshdtest.Server, string) {
	t.Helper()
	ak := filepath.Join(t.TempDir(), "authorized_keys")
	authWriteKeys(t, ak)
	s := sshdtest.Start(t, sshdtest.WithConfig(append([]string{"AuthorizedKeysFile " + ak}, extra...)...))
	return s, ak
}

// authSSHDHost is a host for s with identity files and nothing else: no
// agent, no password or keyboard-interactive (sshd allows neither).
func authSSHDHost(s *sshdtest.Server, identityFiles ...string) config.Host {
	h := authHost(s.User, s.Addr)
	h.IdentityFiles = identityFiles
	return h
}

// sshdConnect authenticates to s as h says, with auth.New and Apply.
func sshdConnect(t *testing.T, s *sshdtest.Server, h config.Host, env auth.Env, p prompt.Prompter) error {
	t.Helper()
	return authConnect(t, s.Addr, s.ClientConfig().HostKeyCallback, h, env, p)
}

// logOf returns sshd's log so far.
func logOf(t *testing.T, s *sshdtest.Server) string {
	t.Helper()
	b, err := os.ReadFile(s.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var sshdQuery = regexp.MustCompile(`userauth_pubkey: publickey test pkalg \S+ pkblob (\S+) (SHA256:\S+)`)

// sshdOffered returns the keys the client offered to s, from sshd's log,
// in order, named as authFP names them ("CERT SHA256:..." for a
// certificate, by the fingerprint of the key it certifies).
func sshdOffered(t *testing.T, s *sshdtest.Server) []string {
	t.Helper()
	var out []string
	for _, m := range sshdQuery.FindAllStringSubmatch(logOf(t, s), -1) {
		if strings.HasSuffix(m[1], "-CERT") {
			out = append(out, "CERT "+m[2])
		} else {
			out = append(out, m[2])
		}
	}
	return out
}

// sshdAccepted reports whether sshd's log says it let the client in with
// key.
func sshdAccepted(t *testing.T, s *sshdtest.Server, key ssh.PublicKey) bool {
	t.Helper()
	return strings.Contains(logOf(t, s), "Accepted publickey for "+s.User) &&
		strings.Contains(logOf(t, s), ssh.FingerprintSHA256(plainSSHKey(key)))
}

func plainSSHKey(k ssh.PublicKey) ssh.PublicKey {
	if c, ok := k.(*ssh.Certificate); ok {
		return c.Key
	}
	return k
}

func TestAuthSSHDKeyFile(t *testing.T) {
	t.Parallel()
	s, ak := authSSHD(t)
	authWriteKeys(t, ak, s.ClientSigner.PublicKey())
	missing := filepath.Join(t.TempDir(), "id_rsa")
	var log syncBuffer
	p := &authPrompter{t: t, strict: true}
	if err := sshdConnect(t, s, authSSHDHost(s, missing, s.ClientKeyPath), auth.Env{Log: &log}, p); err != nil {
		t.Fatalf("login with the key file failed: %v\n%s", err, log.String())
	}
	if w := p.warned(); w != "" {
		t.Errorf("a missing identity file was warned about: %q", w)
	}
	if !strings.Contains(log.String(), "no such identity: "+missing) {
		t.Errorf("debug log does not note the missing identity file:\n%s", log.String())
	}

	// The same through auth.Methods.
	if err := authConnectMethods(t, s.Addr, s.ClientConfig().HostKeyCallback, authSSHDHost(s, missing, s.ClientKeyPath), auth.Env{}, p); err != nil {
		t.Fatalf("login through auth.Methods failed: %v", err)
	}
}

func TestAuthSSHDEncryptedKeyAskedOnlyAfterAcceptance(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	enc, encSigner := authKey(t, dir, "id_encrypted", "open sesame")
	other, otherSigner := authKey(t, dir, "id_other", "")
	passphrasePrompt := "Enter passphrase for key '" + enc + "': "

	t.Run("accepted", func(t *testing.T) {
		s, ak := authSSHD(t)
		authWriteKeys(t, ak, encSigner.PublicKey())
		p := &authPrompter{t: t, secrets: []string{"open sesame"}}
		if err := sshdConnect(t, s, authSSHDHost(s, other, enc), auth.Env{}, p); err != nil {
			t.Fatalf("login failed: %v", err)
		}
		if got := p.secretPrompts(); !slices.Equal(got, []string{passphrasePrompt}) {
			t.Errorf("prompts = %q, want %q once", got, passphrasePrompt)
		}
		want := []string{ssh.FingerprintSHA256(otherSigner.PublicKey()), ssh.FingerprintSHA256(encSigner.PublicKey())}
		if got := sshdOffered(t, s); !slices.Equal(got, want) {
			t.Errorf("sshd saw offers %q, want %q", got, want)
		}
		if !sshdAccepted(t, s, encSigner.PublicKey()) {
			t.Errorf("sshd did not accept the encrypted key")
		}
	})

	t.Run("not accepted: never asked", func(t *testing.T) {
		s, ak := authSSHD(t)
		authWriteKeys(t, ak, otherSigner.PublicKey())
		p := &authPrompter{t: t, strict: true}
		if err := sshdConnect(t, s, authSSHDHost(s, enc, other), auth.Env{}, p); err != nil {
			t.Fatalf("login with the second key failed: %v", err)
		}
		if got := sshdOffered(t, s); len(got) != 2 || got[0] != ssh.FingerprintSHA256(encSigner.PublicKey()) {
			t.Errorf("sshd saw offers %q, want the encrypted key's public key first", got)
		}
	})

	t.Run("wrong passphrase asked again", func(t *testing.T) {
		s, ak := authSSHD(t)
		authWriteKeys(t, ak, encSigner.PublicKey())
		p := &authPrompter{t: t, secrets: []string{"open says me", "open sesame!", "open sesame"}}
		if err := sshdConnect(t, s, authSSHDHost(s, enc), auth.Env{}, p); err != nil {
			t.Fatalf("login failed: %v", err)
		}
		if got := p.secretPrompts(); !slices.Equal(got, []string{passphrasePrompt, passphrasePrompt, passphrasePrompt}) {
			t.Errorf("prompts = %q, want %q three times", got, passphrasePrompt)
		}
	})

	t.Run("three wrong passphrases skip the key", func(t *testing.T) {
		s, ak := authSSHD(t)
		authWriteKeys(t, ak, encSigner.PublicKey(), otherSigner.PublicKey())
		p := &authPrompter{t: t, secrets: []string{"a", "b", "c"}}
		if err := sshdConnect(t, s, authSSHDHost(s, enc, other), auth.Env{}, p); err != nil {
			t.Fatalf("login with the next key failed: %v", err)
		}
		if got := len(p.secretPrompts()); got != 3 {
			t.Errorf("asked %d times, want 3", got)
		}
		if !sshdAccepted(t, s, otherSigner.PublicKey()) {
			t.Errorf("sshd did not accept the next key:\n%s", logOf(t, s))
		}
	})

	t.Run("public key from the private key file", func(t *testing.T) {
		// Without id.pub the public key comes from the OpenSSH-format
		// file's unencrypted header, so the passphrase still waits.
		dir := t.TempDir()
		enc2, enc2Signer := authKey(t, dir, "id_nopub", "pw")
		if err := os.Remove(enc2 + ".pub"); err != nil {
			t.Fatal(err)
		}
		s, ak := authSSHD(t)
		authWriteKeys(t, ak, otherSigner.PublicKey())
		if err := sshdConnect(t, s, authSSHDHost(s, enc2, other), auth.Env{}, &authPrompter{t: t, strict: true}); err != nil {
			t.Fatalf("login with the second key failed: %v", err)
		}
		if got := sshdOffered(t, s); len(got) != 2 || got[0] != ssh.FingerprintSHA256(enc2Signer.PublicKey()) {
			t.Errorf("sshd saw offers %q, want the encrypted key first", got)
		}
		authWriteKeys(t, ak, enc2Signer.PublicKey())
		p := &authPrompter{t: t, secrets: []string{"pw"}}
		if err := sshdConnect(t, s, authSSHDHost(s, enc2), auth.Env{}, p); err != nil {
			t.Fatalf("login with the encrypted key failed: %v", err)
		}
		if got := len(p.secretPrompts()); got != 1 {
			t.Errorf("asked %d times, want once", got)
		}
	})
}

func TestAuthSSHDLegacyEncryptedKeyWithoutPublicKey(t *testing.T) {
	t.Parallel()
	keygen, err := exec.LookPath("ssh-keygen")
	if err != nil {
		t.Skip("ssh-keygen not installed")
	}
	// A PEM-format encrypted key keeps no public part: without key.pub,
	// ssh must decrypt it before offering it ("Trying private key"), when
	// its turn comes and not before.
	dir := t.TempDir()
	legacy := filepath.Join(dir, "id_legacy")
	if out, err := exec.Command(keygen, "-q", "-t", "ecdsa", "-m", "PEM", "-N", "legacy pw", "-C", "", "-f", legacy).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pubBytes, err := os.ReadFile(legacy + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	legacyPub, _, _, _, err := ssh.ParseAuthorizedKey(pubBytes)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(legacy + ".pub"); err != nil {
		t.Fatal(err)
	}
	other, otherSigner := authKey(t, dir, "id_other", "")
	s, ak := authSSHD(t)

	authWriteKeys(t, ak, otherSigner.PublicKey())
	if err := sshdConnect(t, s, authSSHDHost(s, other, legacy), auth.Env{}, &authPrompter{t: t, strict: true}); err != nil {
		t.Fatalf("login with the first key failed: %v", err)
	}

	authWriteKeys(t, ak, legacyPub)
	p := &authPrompter{t: t, secrets: []string{"legacy pw"}}
	if err := sshdConnect(t, s, authSSHDHost(s, other, legacy), auth.Env{}, p); err != nil {
		t.Fatalf("login with the legacy key failed: %v", err)
	}
	if got := p.secretPrompts(); !slices.Equal(got, []string{"Enter passphrase for key '" + legacy + "': "}) {
		t.Errorf("prompts = %q", got)
	}
	if !sshdAccepted(t, s, legacyPub) {
		t.Errorf("sshd did not accept the legacy key")
	}

	// A key that cannot be unlocked is skipped without offering anything.
	authWriteKeys(t, ak, otherSigner.PublicKey())
	p = &authPrompter{t: t, secrets: []string{""}}
	if err := sshdConnect(t, s, authSSHDHost(s, legacy, other), auth.Env{}, p); err != nil {
		t.Fatalf("login with the second key failed: %v", err)
	}
}

func TestAuthSSHDUnprotectedKeyRefused(t *testing.T) {
	t.Parallel()
	s, ak := authSSHD(t)
	key, signer := authKey(t, t.TempDir(), "id_open", "")
	authWriteKeys(t, ak, signer.PublicKey())
	if err := os.Chmod(key, 0o644); err != nil {
		t.Fatal(err)
	}
	p := &authPrompter{t: t, strict: true}
	if err := sshdConnect(t, s, authSSHDHost(s, key), auth.Env{}, p); err == nil {
		t.Fatal("login with a world-readable key file succeeded")
	}
	w := p.warned()
	for _, want := range []string{
		"WARNING: UNPROTECTED PRIVATE KEY FILE!",
		"Permissions 0644 for '" + key + "' are too open.",
		"This private key will be ignored.",
	} {
		if !strings.Contains(w, want) {
			t.Errorf("warning lacks %q:\n%s", want, w)
		}
	}
	// The server accepted the public key; only then is the file refused.
	if got := sshdOffered(t, s); !slices.Equal(got, []string{ssh.FingerprintSHA256(signer.PublicKey())}) {
		t.Errorf("sshd saw offers %q", got)
	}

	// Mode 0600 is fine.
	if err := os.Chmod(key, 0o600); err != nil {
		t.Fatal(err)
	}
	p = &authPrompter{t: t, strict: true}
	if err := sshdConnect(t, s, authSSHDHost(s, key), auth.Env{}, p); err != nil {
		t.Fatalf("login with a 0600 key file failed: %v", err)
	}
	if w := p.warned(); w != "" {
		t.Errorf("unexpected warning: %q", w)
	}
}

func TestAuthSSHDUnusableKeyFileWarns(t *testing.T) {
	t.Parallel()
	s, ak := authSSHD(t)
	authWriteKeys(t, ak, s.ClientSigner.PublicKey())
	dir := t.TempDir()
	garbage := filepath.Join(dir, "id_garbage")
	if err := os.WriteFile(garbage, []byte("this is not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	directory := filepath.Join(dir, "id_directory")
	if err := os.Mkdir(directory, 0o700); err != nil {
		t.Fatal(err)
	}
	p := &authPrompter{t: t, strict: true}
	if err := sshdConnect(t, s, authSSHDHost(s, garbage, directory, s.ClientKeyPath), auth.Env{}, p); err != nil {
		t.Fatalf("login with the good key failed: %v", err)
	}
	w := p.warned()
	for _, want := range []string{`Load key "` + garbage + `": invalid format`, `Load key "` + directory + `": `} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
}
