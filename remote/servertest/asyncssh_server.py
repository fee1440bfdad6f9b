"""An SFTP server for ferry's tests, run by Go package servertest.

It is AsyncSSH's default SFTP server, which serves paths as given,
relative ones from the directory this process runs in.

Usage: python3 asyncssh_server.py HOST PORT HOST_KEY AUTHORIZED_KEYS

It prints "LISTENING" once it listens and "KILLED N" each time SIGUSR1 has
made it abort its N connections; it ends on SIGTERM or SIGINT. Exit
status 4 means asyncssh cannot be imported, 5 that the port is in use.
"""

import asyncio
import errno
import logging
import signal
import sys
import warnings

# Debian's asyncssh imports ciphers that newer cryptography deprecates.
warnings.simplefilter("ignore")

try:
    import asyncssh
except ImportError as exc:
    print("servertest: cannot import asyncssh: %s" % exc, file=sys.stderr)
    sys.exit(4)


async def serve(host, port, host_key, authorized_keys):
    loop = asyncio.get_running_loop()
    conns = set()

    class Server(asyncssh.SSHServer):
        def connection_made(self, conn):
            self.conn = conn
            conns.add(conn)

        def connection_lost(self, exc):
            conns.discard(self.conn)

    try:
        server = await asyncssh.listen(
            host, port,
            server_factory=Server,
            server_host_keys=[host_key],
            authorized_client_keys=authorized_keys,
            sftp_factory=True,
            allow_scp=False,
            reuse_address=True)
    except OSError as exc:
        print("servertest: listen on %s:%d: %s" % (host, port, exc), file=sys.stderr)
        sys.exit(5 if exc.errno == errno.EADDRINUSE else 1)

    def kill():
        n = len(conns)
        for conn in list(conns):
            conn.abort()
        print("KILLED %d" % n, flush=True)

    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(signal.SIGUSR1, kill)
    print("LISTENING", flush=True)
    await stop.wait()
    server.close()
    for conn in list(conns):
        conn.abort()
    await server.wait_closed()


def main():
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr,
        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    host, port, host_key, authorized_keys = sys.argv[1:5]
    asyncio.run(serve(host, int(port), host_key, authorized_keys))


if __name__ == "__main__":
    main()
