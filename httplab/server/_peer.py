"""Which Unix user opened a loopback TCP connection: the lab answers its owner only.

On a shared machine (a JupyterHub where every learner's kernel shares one network namespace)
any user can connect to any learner's lab on 127.0.0.1. The kernel knows who owns each
socket. Linux's sock_diag netlink interface answers for one exact connection (about 0.1 ms);
where it is unavailable, ``/proc/net/tcp`` and ``/proc/net/tcp6`` list every TCP socket with its
owner's uid (slower: the kernel writes out the whole table). The client's end of an accepted
connection is the socket whose local address is the connection's peer address and whose
remote address is the server's own address.

Where there is no such table (macOS, Windows) the owner cannot be told, and
:func:`peer_uid` returns None: the caller says so instead of claiming a check it cannot make.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import struct
import sys
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["OWNER_CHECK_SUPPORTED", "owner_check_problem", "peer_uid"]

_TABLES = (Path("/proc/net/tcp"), Path("/proc/net/tcp6"))
#: True where this module can tell who opened a connection (Linux with /proc).
OWNER_CHECK_SUPPORTED = sys.platform.startswith("linux") and _TABLES[0].exists()


def _hex_address(host: str, port: int) -> str:
    """Write an address as /proc/net/tcp{,6} does: each 32-bit word in the machine's byte order, in hex."""
    address = ipaddress.ip_address(host.split("%", 1)[0])
    packed = address.packed
    words = struct.unpack(f"={len(packed) // 4}I", packed)
    return "".join(f"{word:08X}" for word in words) + f":{port:04X}"


def _addresses(sock: socket.socket) -> tuple[tuple[str, int], tuple[str, int]]:
    local: Any = sock.getsockname()
    peer: Any = sock.getpeername()
    return (local[0], local[1]), (peer[0], peer[1])


def _candidates(host: str, port: int) -> set[str]:
    """List the forms an address may take in the tables (an IPv4 peer of a dual-stack socket is ::ffff:a.b.c.d)."""
    forms = {_hex_address(host, port)}
    address = ipaddress.ip_address(host.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        forms.add(_hex_address(str(address.ipv4_mapped), port))
    elif isinstance(address, ipaddress.IPv4Address):
        forms.add(_hex_address(f"::ffff:{address}", port))
    return forms


_NETLINK_SOCK_DIAG = 4
_SOCK_DIAG_BY_FAMILY = 20
_NLMSG_ERROR = 2
_NLM_F_REQUEST = 1
#: In struct inet_diag_msg: family, state, timer, retrans (4 bytes), the socket id (48), expires,
#: rqueue, wqueue (12), then the owner's uid.
_UID_OFFSET = 4 + 48 + 12
_NO_COOKIE = 0xFFFFFFFF


def _packed(host: str) -> tuple[int, bytes]:
    address = ipaddress.ip_address(host.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # the client of a dual-stack server is an IPv4 socket
    family = socket.AF_INET if address.version == 4 else socket.AF_INET6
    return family, address.packed.ljust(16, b"\0")


def _uid_by_sock_diag(client: tuple[str, int], server: tuple[str, int]) -> int | None:
    """Ask the kernel through Linux's sock_diag netlink interface who owns the client end of one connection."""
    family, source = _packed(client[0])
    _, destination = _packed(server[0])
    sockid = (
        struct.pack("!HH", client[1], server[1]) + source + destination
        + struct.pack("=III", 0, _NO_COOKIE, _NO_COOKIE)
    )
    request = struct.pack("=BBBBI", family, socket.IPPROTO_TCP, 0, 0, 0xFFFFFFFF) + sockid
    header = struct.pack("=IHHII", 16 + len(request), _SOCK_DIAG_BY_FAMILY, _NLM_F_REQUEST, 1, 0)
    with socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, _NETLINK_SOCK_DIAG) as netlink:
        netlink.settimeout(1.0)
        netlink.sendto(header + request, (0, 0))
        reply = netlink.recv(8192)
    if len(reply) < 16 + _UID_OFFSET + 4:
        return None
    kind = struct.unpack_from("=H", reply, 4)[0]
    if kind != _SOCK_DIAG_BY_FAMILY:  # NLMSG_ERROR: no such socket on this machine
        return None
    return int(struct.unpack_from("=I", reply, 16 + _UID_OFFSET)[0])


def _uid_by_proc(client: tuple[str, int], server: tuple[str, int]) -> int | None:
    client_side = _candidates(*client)
    server_side = _candidates(*server)
    for table in _TABLES:
        try:
            lines = table.read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 7 and fields[1] in client_side and fields[2] in server_side:
                return int(fields[7])
    return None


def peer_uid(sock: socket.socket) -> int | None:
    """Return the uid of the process that owns the other end of a loopback TCP connection *sock*.

    Returns None where the platform cannot tell, or the other end is not on this machine
    (it has no row in this machine's socket tables).

    >>> import socket, threading
    >>> server = socket.create_server(("127.0.0.1", 0))
    >>> client = socket.create_connection(server.getsockname())
    >>> conn, _ = server.accept()
    >>> peer_uid(conn) == os.getuid()
    True
    >>> for s in (conn, client, server): s.close()
    """
    if not OWNER_CHECK_SUPPORTED:
        return None
    try:
        server, client = _addresses(sock)
    except OSError:
        return None
    try:
        return _uid_by_sock_diag(client, server)
    except (OSError, ValueError):  # no netlink here (a sandbox, an old kernel): read the tables instead
        return _uid_by_proc(client, server)


def current_uid() -> int | None:
    """Return this process's uid, or None where the platform has none."""
    getuid = getattr(os, "getuid", None)
    return int(getuid()) if getuid is not None else None


@cache
def owner_check_problem() -> str | None:
    """Say why this machine cannot tell who opened a loopback connection, or return None when it can.

    It tries once per process: a connection to itself must come out as this process's own user.
    """
    if not OWNER_CHECK_SUPPORTED:
        return f"this platform ({sys.platform}) gives the lab no way to tell which user opened a connection"
    try:
        with socket.create_server(("127.0.0.1", 0)) as server, socket.socket() as client:
            client.connect(server.getsockname())
            connection, _ = server.accept()
            with connection:
                found = peer_uid(connection)
    except OSError as error:
        return f"the lab could not test its owner check here ({error.strerror or error})"
    if found is None or found != current_uid():
        return "this machine's socket tables did not say which user opened a test connection"
    return None
