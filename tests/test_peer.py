"""Who opened a loopback connection: the lookup behind owner-only labs, checked with a real second user."""

from __future__ import annotations

import os
import socket
import time
import warnings

import pytest

from httplab.server import _peer

pytestmark = pytest.mark.skipif(not _peer.OWNER_CHECK_SUPPORTED, reason="needs Linux's /proc/net/tcp")

OTHER_UID = 65534  # "nobody"
can_switch_user = pytest.mark.skipif(
    os.geteuid() != 0, reason="switching to another user (uid 65534) needs root; CI runs as root"
)


def _connect_as(uid: int, family: int, address: tuple) -> int:
    """Fork a child that becomes *uid* and connects to *address*; return its pid."""
    with warnings.catch_warnings():  # Python 3.12+ warns about fork() beside threads; the child only connects
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: no pytest, no imports after the switch (the new user may not read them)
        try:
            os.setgid(uid)
            os.setuid(uid)
            client = socket.socket(family)
            client.connect(address)
            time.sleep(2)
        finally:
            os._exit(0)
    return pid


@pytest.mark.parametrize("family, host", [(socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")], ids=["v4", "v6"])
def test_peer_uid_of_own_connection_is_own_uid(family, host):
    with socket.create_server((host, 0), family=family) as server:
        with socket.socket(family) as client:
            client.connect(server.getsockname()[:2])
            conn, _ = server.accept()
            with conn:
                assert _peer.peer_uid(conn) == os.getuid()


@can_switch_user
@pytest.mark.parametrize("family, host", [(socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")], ids=["v4", "v6"])
def test_peer_uid_names_another_user(family, host):
    with socket.create_server((host, 0), family=family) as server:
        pid = _connect_as(OTHER_UID, family, server.getsockname()[:2])
        server.settimeout(10)
        conn, _ = server.accept()
        with conn:
            assert _peer.peer_uid(conn) == OTHER_UID
            server_end, client_end = _peer._addresses(conn)
            # The slower fallback reads the same answer from /proc/net/tcp{,6}.
            assert _peer._uid_by_proc(client_end, server_end) == OTHER_UID
        os.waitpid(pid, 0)


def test_peer_uid_of_an_ipv4_client_on_a_dual_stack_server():
    with socket.create_server(("::", 0), family=socket.AF_INET6, dualstack_ipv6=True) as server:
        with socket.socket(socket.AF_INET) as client:
            client.connect(("127.0.0.1", server.getsockname()[1]))
            conn, _ = server.accept()
            with conn:
                assert conn.getpeername()[0] == "::ffff:127.0.0.1"
                assert _peer.peer_uid(conn) == os.getuid()


def test_peer_uid_of_a_closed_socket_is_unknown():
    with socket.create_server(("127.0.0.1", 0)) as server, socket.socket() as client:
        client.connect(server.getsockname())
        conn, _ = server.accept()
        conn.close()
        assert _peer.peer_uid(conn) is None
