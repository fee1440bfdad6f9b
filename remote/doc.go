// Package remote connects to an SSH server and gives its files to ferry:
// Dial and Session (ProxyJump chains, ProxyCommand, ConnectTimeout,
// keepalives, and reconnecting with backoff after a lost connection, the
// host key checked again), and FS, the remote file system over pkg/sftp,
// whose every call honours its context and explains an SFTP status in
// words (StatusError). Large downloads go through extra SFTP channels of
// its own (StreamFile), large uploads through byte ranges on several
// (OpenRangeWriter).
//
// What stands alone lives in sub-packages: prompt (the Prompter contract
// between the SSH code and whoever asks the user, aliased here because a
// Dialer takes one), knownhosts (known_hosts and StrictHostKeyChecking),
// auth (public keys, key files, ssh-agent, passwords, the order ssh tries
// them in), ttyprompt (the Prompter of the headless commands, on the
// terminal), internal/sftpstream (the stream reader's SFTP protocol),
// demo (the embedded server of ferry demo), and, for tests, sshdtest and
// servertest (real servers on free loopback ports).
package remote
