package auth_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote/auth"
	"github.com/ferry-tui/ferry/remote/prompt"
	"golang.org/x/crypto/ssh"
)

func TestAuthPasswordAskedAgainLikeSSH(t *testing.T) {
	t.Parallel()
	srv := authStartServer(t, &ssh.ServerConfig{
		PasswordCallback: func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if c.User() == "alice" && string(pw) == "s3cret" {
				return nil, nil
			}
			return nil, errors.New("wrong")
		},
	})
	p := &authPrompter{t: t, secrets: []string{"typo", "s3cret"}}
	h := authHost("alice", srv.addr)
	if err := authConnect(t, srv.addr, ssh.FixedHostKey(srv.hostKey), h, auth.Env{}, p); err != nil {
		t.Fatalf("password login failed: %v", err)
	}
	want := []string{"alice@127.0.0.1's password: ", "alice@127.0.0.1's password: "}
	if got := p.secretPrompts(); !slices.Equal(got, want) {
		t.Errorf("prompts = %q, want %q", got, want)
	}
	if got := p.warned(); got != "Permission denied, please try again." {
		t.Errorf("warnings = %q, want ssh's retry message once", got)
	}

	// Three wrong answers and ssh gives up on password.
	p = &authPrompter{t: t, secrets: []string{"a", "b", "c"}}
	if err := authConnect(t, srv.addr, ssh.FixedHostKey(srv.hostKey), h, auth.Env{}, p); err == nil {
		t.Fatal("login with three wrong passwords succeeded")
	}
	if got := len(p.secretPrompts()); got != 3 {
		t.Errorf("asked %d times, want 3", got)
	}

	// HostKeyAlias names the host in the prompt, as in ssh.
	h.HostKeyAlias = "web1"
	p = &authPrompter{t: t, secrets: []string{"s3cret"}}
	if err := authConnect(t, srv.addr, ssh.FixedHostKey(srv.hostKey), h, auth.Env{}, p); err != nil {
		t.Fatal(err)
	}
	if got := p.secretPrompts(); !slices.Equal(got, []string{"alice@web1's password: "}) {
		t.Errorf("prompts = %q", got)
	}
}

func TestAuthKeyboardInteractiveRoundsAndEcho(t *testing.T) {
	t.Parallel()
	srv := authStartServer(t, &ssh.ServerConfig{
		KeyboardInteractiveCallback: func(c ssh.ConnMetadata, ask ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			a, err := ask("ferry-test", "Two questions first.", []string{"Username: ", "Password: "}, []bool{true, false})
			if err != nil {
				return nil, err
			}
			if !slices.Equal(a, []string{"bob", "hunter2"}) {
				return nil, fmt.Errorf("round 1 answers %q", a)
			}
			a, err = ask("", "", []string{"Verification code: "}, []bool{false})
			if err != nil {
				return nil, err
			}
			if !slices.Equal(a, []string{"123456"}) {
				return nil, fmt.Errorf("round 2 answers %q", a)
			}
			return nil, nil
		},
	})
	p := &authPrompter{t: t, kbd: [][]string{{"bob", "hunter2"}, {"123456"}}}
	if err := authConnect(t, srv.addr, ssh.FixedHostKey(srv.hostKey), authHost("bob", srv.addr), auth.Env{}, p); err != nil {
		t.Fatalf("keyboard-interactive login failed: %v", err)
	}
	want := []authRound{
		{"ferry-test", "Two questions first.", []prompt.Challenge{{Prompt: "Username: ", Echo: true}, {Prompt: "Password: ", Echo: false}}},
		{"", "", []prompt.Challenge{{Prompt: "Verification code: ", Echo: false}}},
	}
	if len(p.rounds) != len(want) {
		t.Fatalf("rounds = %+v, want %+v", p.rounds, want)
	}
	for i := range want {
		g, w := p.rounds[i], want[i]
		if g.name != w.name || g.instruction != w.instruction || !slices.Equal(g.questions, w.questions) {
			t.Errorf("round %d = %+v, want %+v", i+1, g, w)
		}
	}
}

// allMethodsServer allows publickey (refusing every key),
// keyboard-interactive (refusing every answer) and password, which accepts
// "pw".
func allMethodsServer(t *testing.T) *authServer {
	return authStartServer(t, &ssh.ServerConfig{
		PasswordCallback: func(_ ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if string(pw) == "pw" {
				return nil, nil
			}
			return nil, errors.New("wrong")
		},
		KeyboardInteractiveCallback: func(_ ssh.ConnMetadata, ask ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			if _, err := ask("", "", []string{"Password: "}, []bool{false}); err != nil {
				return nil, err
			}
			return nil, errors.New("wrong")
		},
	})
}

func TestAuthMethodOrder(t *testing.T) {
	t.Parallel()
	srv := allMethodsServer(t)
	dir := t.TempDir()
	key, _ := authKey(t, dir, "id_ed25519", "")

	// Default: publickey, keyboard-interactive (three attempts, as
	// ssh's NumberOfPasswordPrompts), then password.
	h := authHost("carol", srv.addr)
	h.IdentityFiles = []string{key}
	p := &authPrompter{t: t, kbd: [][]string{{"x"}, {"y"}, {"z"}}, secrets: []string{"pw"}}
	if err := authConnect(t, srv.addr, ssh.FixedHostKey(srv.hostKey), h, auth.Env{}, p); err != nil {
		t.Fatal(err)
	}
	want := []string{"publickey", "keyboard-interactive", "keyboard-interactive", "keyboard-interactive", "password"}
	if got := srv.tried(); !slices.Equal(got, want) {
		t.Errorf("methods tried = %q, want %q", got, want)
	}

	// PreferredAuthentications reorders; a name given twice counts once,
	// and unsupported ones are skipped.
	srv2 := allMethodsServer(t)
	h.PreferredAuthentications = []string{"gssapi-with-mic,password", "password", "keyboard-interactive"}
	p = &authPrompter{t: t, secrets: []string{"pw"}}
	if err := authConnect(t, srv2.addr, ssh.FixedHostKey(srv2.hostKey), h, auth.Env{}, p); err != nil {
		t.Fatal(err)
	}
	if got := srv2.tried(); !slices.Equal(got, []string{"password"}) {
		t.Errorf("methods tried = %q, want only password", got)
	}
	if len(p.rounds) != 0 {
		t.Errorf("keyboard-interactive asked %d rounds", len(p.rounds))
	}

	// PasswordAuthentication and KbdInteractiveAuthentication no: only
	// the key, which is refused, and nothing is asked.
	srv3 := allMethodsServer(t)
	h.PreferredAuthentications = nil
	h.PasswordAuthentication, h.KbdInteractiveAuthentication = false, false
	err := authConnect(t, srv3.addr, ssh.FixedHostKey(srv3.hostKey), h, auth.Env{}, &authPrompter{t: t, strict: true})
	if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("login with only a refused key: err = %v, want x/crypto's \"unable to authenticate\"", err)
	}
	if got := srv3.tried(); !slices.Equal(got, []string{"publickey"}) {
		t.Errorf("methods tried = %q, want only publickey", got)
	}
}

func TestAuthBatchModeNeverPrompts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	enc, encSigner := authKey(t, dir, "id_encrypted", "passphrase")
	plain, plainSigner := authKey(t, dir, "id_plain", "")
	srv := authStartServer(t, &ssh.ServerConfig{
		PublicKeyCallback: func(_ ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if bytes.Equal(k.Marshal(), encSigner.PublicKey().Marshal()) {
				return nil, nil
			}
			return nil, errors.New("refused")
		},
		PasswordCallback: func(ssh.ConnMetadata, []byte) (*ssh.Permissions, error) { return nil, nil },
		KeyboardInteractiveCallback: func(_ ssh.ConnMetadata, ask ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			_, err := ask("", "", []string{"Password: "}, []bool{false})
			return nil, err
		},
	})
	h := authHost("dave", srv.addr)
	h.BatchMode = true
	h.IdentityFiles = []string{enc, plain}
	// Even a Prompter that could ask is never asked under BatchMode.
	p := &authPrompter{t: t, strict: true}
	err := authConnect(t, srv.addr, ssh.FixedHostKey(srv.hostKey), h, auth.Env{}, p)
	if err == nil {
		t.Fatal("BatchMode login succeeded, but every usable method needs a prompt")
	}
	if got := srv.tried(); slices.Contains(got, "password") || slices.Contains(got, "keyboard-interactive") {
		t.Errorf("methods tried = %q; BatchMode must leave out password and keyboard-interactive", got)
	}
	// The encrypted key, which could only be used after asking, is not
	// even offered.
	if got, want := srv.offeredFPs(), []string{authFP(plainSigner.PublicKey())}; !slices.Equal(got, want) {
		t.Errorf("offered = %q, want only the plain key %q", got, want)
	}
}

func TestAuthPublicKeyOrderLikeOpenSSH(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	inAgent, inAgentSigner := authKey(t, dir, "id_in_agent", "")
	second, secondSigner := authKey(t, dir, "id_second", "")
	third, thirdSigner := authKey(t, dir, "id_third", "")
	ca := authSigner(t)
	agentOnly := authSigner(t)

	// The third key's KEY-cert.pub, and a separate CertificateFile for the
	// second key.
	thirdCert := authCert(t, ca, thirdSigner.PublicKey(), "erin")
	if err := os.WriteFile(third+"-cert.pub", ssh.MarshalAuthorizedKey(thirdCert), 0o644); err != nil {
		t.Fatal(err)
	}
	secondCert := authCert(t, ca, secondSigner.PublicKey(), "erin")
	certFile := filepath.Join(t.TempDir(), "second-cert.pub")
	if err := os.WriteFile(certFile, ssh.MarshalAuthorizedKey(secondCert), 0o644); err != nil {
		t.Fatal(err)
	}
	sock, _ := authStartAgent(t, agentOnly, inAgentSigner)

	fp := func(k ssh.PublicKey) string { return authFP(k) }
	missing := filepath.Join(dir, "id_missing")
	cases := []struct {
		name  string
		edit  func(*config.Host)
		want  []string
		agent bool
	}{
		{
			name: "KEY-cert.pub after its key, agent keys first",
			want: []string{
				fp(inAgentSigner.PublicKey()), // agent key matching an IdentityFile
				fp(agentOnly.PublicKey()),     // other agent keys
				fp(secondSigner.PublicKey()),  // remaining files, in order
				fp(thirdSigner.PublicKey()),
				fp(thirdCert),
			},
		},
		{
			name: "CertificateFile first, no implicit KEY-cert.pub",
			edit: func(h *config.Host) { h.CertificateFiles = []string{certFile} },
			want: []string{
				fp(secondCert),
				fp(inAgentSigner.PublicKey()),
				fp(agentOnly.PublicKey()),
				fp(secondSigner.PublicKey()),
				fp(thirdSigner.PublicKey()),
			},
		},
		{
			name: "IdentitiesOnly drops the other agent keys",
			edit: func(h *config.Host) { h.IdentitiesOnly = true },
			want: []string{
				fp(inAgentSigner.PublicKey()),
				fp(secondSigner.PublicKey()),
				fp(thirdSigner.PublicKey()),
				fp(thirdCert),
			},
		},
		{
			name: "IdentityAgent none",
			edit: func(h *config.Host) { h.IdentityAgent = "none" },
			want: []string{
				fp(inAgentSigner.PublicKey()),
				fp(secondSigner.PublicKey()),
				fp(thirdSigner.PublicKey()),
				fp(thirdCert),
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := authStartServer(t, &ssh.ServerConfig{})
			h := authHost("erin", srv.addr)
			h.IdentityAgent = ""
			h.IdentityFiles = []string{missing, inAgent, second, third}
			if tc.edit != nil {
				tc.edit(&h)
			}
			var log syncBuffer
			env := auth.Env{AgentSocket: sock, Log: &log}
			if err := authConnect(t, srv.addr, ssh.FixedHostKey(srv.hostKey), h, env, &authPrompter{t: t, strict: true}); err == nil {
				t.Fatal("login succeeded though the server refuses every key")
			}
			if got := srv.offeredFPs(); !slices.Equal(got, tc.want) {
				t.Errorf("offered\n  %q\nwant\n  %q\ndebug log:\n%s", got, tc.want, log.String())
			}
			if !strings.Contains(log.String(), "no such identity: "+missing) {
				t.Errorf("debug log does not note the missing identity file:\n%s", log.String())
			}
		})
	}
}

func TestAuthDebugLogHasNoSecrets(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	enc, encSigner := authKey(t, dir, "id_encrypted", "correct horse")
	srv := authStartServer(t, &ssh.ServerConfig{
		PublicKeyCallback: func(_ ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if bytes.Equal(k.Marshal(), encSigner.PublicKey().Marshal()) {
				return nil, nil
			}
			return nil, errors.New("refused")
		},
	})
	h := authHost("frank", srv.addr)
	h.IdentityFiles = []string{enc}
	var log syncBuffer
	p := &authPrompter{t: t, secrets: []string{"battery staple", "correct horse"}}
	if err := authConnect(t, srv.addr, ssh.FixedHostKey(srv.hostKey), h, auth.Env{Log: &log}, p); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"battery staple", "correct horse"} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("debug log contains a passphrase:\n%s", log.String())
		}
	}
	if !strings.Contains(log.String(), "server accepts key: "+enc) {
		t.Errorf("debug log does not say the key was accepted:\n%s", log.String())
	}
}

func TestAuthNoPrompterSkipsEncryptedKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	enc, encSigner := authKey(t, dir, "id_encrypted", "pass")
	plain, plainSigner := authKey(t, dir, "id_plain", "")
	srv := authStartServer(t, &ssh.ServerConfig{
		PublicKeyCallback: func(_ ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if bytes.Equal(k.Marshal(), encSigner.PublicKey().Marshal()) || bytes.Equal(k.Marshal(), plainSigner.PublicKey().Marshal()) {
				return nil, nil
			}
			return nil, errors.New("refused")
		},
	})
	h := authHost("gina", srv.addr)
	h.IdentityFiles = []string{enc, plain}
	// A nil Prompter is NoPrompter: the encrypted key cannot be unlocked,
	// and the next key is tried instead of giving up.
	if err := authConnect(t, srv.addr, ssh.FixedHostKey(srv.hostKey), h, auth.Env{}, nil); err != nil {
		t.Fatalf("login with the second key failed: %v", err)
	}
}

func TestAuthSkippedKeyApplyVersusMethods(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	enc, encSigner := authKey(t, dir, "id_encrypted", "pass")
	plain, plainSigner := authKey(t, dir, "id_plain", "")
	cfg := func() *ssh.ServerConfig {
		return &ssh.ServerConfig{
			PublicKeyCallback: func(_ ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
				if bytes.Equal(k.Marshal(), encSigner.PublicKey().Marshal()) || bytes.Equal(k.Marshal(), plainSigner.PublicKey().Marshal()) {
					return nil, nil
				}
				return nil, errors.New("refused")
			},
			PasswordCallback: func(_ ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
				if string(pw) == "pw" {
					return nil, nil
				}
				return nil, errors.New("wrong")
			},
		}
	}

	// Apply: an empty passphrase skips the encrypted key, and the next
	// key logs in, as in ssh; the password is never asked.
	srv := authStartServer(t, cfg())
	h := authHost("hank", srv.addr)
	h.IdentityFiles = []string{enc, plain}
	p := &authPrompter{t: t, secrets: []string{""}}
	if err := authConnect(t, srv.addr, ssh.FixedHostKey(srv.hostKey), h, auth.Env{}, p); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if got, want := p.secretPrompts(), []string{"Enter passphrase for key '" + enc + "': "}; !slices.Equal(got, want) {
		t.Errorf("Apply: prompts = %q, want %q", got, want)
	}
	if got := srv.tried(); !slices.Equal(got, []string{"publickey"}) {
		t.Errorf("Apply: methods = %q, want one successful publickey", got)
	}

	// auth.Methods alone: x/crypto leaves publickey after the skipped key,
	// so the plain key is never offered and password follows.
	srv = authStartServer(t, cfg())
	h = authHost("hank", srv.addr)
	h.IdentityFiles = []string{enc, plain}
	p = &authPrompter{t: t, secrets: []string{"", "pw"}}
	if err := authConnectMethods(t, srv.addr, ssh.FixedHostKey(srv.hostKey), h, auth.Env{}, p); err != nil {
		t.Fatalf("auth.Methods: %v", err)
	}
	if got, want := srv.offeredFPs(), []string{authFP(encSigner.PublicKey())}; !slices.Equal(got, want) {
		t.Errorf("auth.Methods: offered %q, want only the encrypted key", got)
	}
	if got := srv.tried(); !slices.Equal(got, []string{"password"}) {
		t.Errorf("auth.Methods: methods = %q, want password after the abandoned publickey", got)
	}
}

func TestAuthPartialSuccessKeyThenPassword(t *testing.T) {
	t.Parallel()
	// As sshd's "AuthenticationMethods publickey,password": the second
	// key is accepted with partial success, then the password is asked.
	dir := t.TempDir()
	first, _ := authKey(t, dir, "id_first", "")
	second, secondSigner := authKey(t, dir, "id_second", "")
	srv := authStartServer(t, &ssh.ServerConfig{
		PublicKeyCallback: func(_ ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if !bytes.Equal(k.Marshal(), secondSigner.PublicKey().Marshal()) {
				return nil, errors.New("refused")
			}
			return nil, &ssh.PartialSuccessError{Next: ssh.ServerAuthCallbacks{
				PasswordCallback: func(_ ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
					if string(pw) == "pw" {
						return nil, nil
					}
					return nil, errors.New("wrong")
				},
			}}
		},
	})
	h := authHost("judy", srv.addr)
	h.IdentityFiles = []string{first, second}
	p := &authPrompter{t: t, secrets: []string{"pw"}}
	if err := authConnect(t, srv.addr, ssh.FixedHostKey(srv.hostKey), h, auth.Env{}, p); err != nil {
		t.Fatal(err)
	}
	// The first key's refusal, the second key's partial success, password.
	if got, want := srv.tried(), []string{"publickey", "publickey", "password"}; !slices.Equal(got, want) {
		t.Errorf("methods = %q, want %q", got, want)
	}
	if got := len(p.secretPrompts()); got != 1 {
		t.Errorf("asked %d times, want once", got)
	}
}
