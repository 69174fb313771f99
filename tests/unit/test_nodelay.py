"""The server sends each message of a run as soon as it is written (server/nodelay.py): the connections it accepts
have Nagle's algorithm off, although the socket Streamlit listens on leaves its protocol at 0."""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket
from asyncio import base_events

from streamlit.web.server.starlette.starlette_server import _bind_socket

import server  # noqa: F401  (app.py imports it before uvicorn starts: that installs the setting)
from server import nodelay


def accepted_nodelay() -> int:
    """TCP_NODELAY of a connection accepted, the way Streamlit serves, on a listener Streamlit binds."""

    async def main() -> int:
        loop = asyncio.get_running_loop()
        listener = _bind_socket("127.0.0.1", 0, 8)
        accepted: asyncio.Future[int] = loop.create_future()

        class Report(asyncio.Protocol):
            def connection_made(self, transport):
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        served = await loop.create_server(Report, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname()[:2])
        try:
            return await asyncio.wait_for(accepted, 10)
        finally:
            writer.close()
            served.close()
            await served.wait_closed()

    # In a thread of its own: the browser tests' Playwright keeps an event loop running in the main thread.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result(timeout=30)


def test_connections_the_server_accepts_send_without_waiting_for_an_acknowledgement():
    assert base_events._set_nodelay is nodelay._set_nodelay
    assert accepted_nodelay() != 0


def test_only_tcp_stream_sockets_are_touched():
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as unix:
        nodelay._set_nodelay(unix)  # no TCP option on a Unix socket: nothing set, nothing raised
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        nodelay._set_nodelay(udp)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
        assert tcp.proto == 0  # what Streamlit's listener and its connections say
        nodelay._set_nodelay(tcp)
        assert tcp.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
