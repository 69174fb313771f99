"""Send each message as soon as it is written: TCP_NODELAY on every connection the server accepts.

asyncio turns Nagle's algorithm off (TCP_NODELAY) on the connections it accepts only when the socket says its protocol
is TCP (``asyncio.base_events._set_nodelay`` checks ``sock.proto == IPPROTO_TCP``). The socket Streamlit's uvicorn
server listens on is created with the protocol left at 0, the accepted connections inherit that, and so Nagle stays on
(uvicorn issue 3149: "every keep-alive request past the first costs ~43ms on Linux"). Here that held back the end of
every script run: the first message of a rerun went out at once, the rest waited for the browser's delayed
acknowledgement, about 40 ms. A click on a chart the app had built before was answered in 48 ms, 8 ms of it the run
(benchmarks/RESULTS.md).

``install()`` makes asyncio's check accept a TCP stream socket whose protocol is 0 as well; it changes nothing for
any other socket. It must run before the server accepts its first connection: ``server/__init__.py`` calls it when
``app.py`` is imported, before uvicorn starts.
"""

from __future__ import annotations

import socket
from asyncio import base_events

_TCP_FAMILIES = {socket.AF_INET, socket.AF_INET6}


def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in _TCP_FAMILIES and sock.type == socket.SOCK_STREAM and sock.proto in (0, socket.IPPROTO_TCP):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def install() -> None:
    """From now on, every TCP connection asyncio accepts or opens has Nagle's algorithm off."""
    if hasattr(socket, "TCP_NODELAY"):
        base_events._set_nodelay = _set_nodelay
