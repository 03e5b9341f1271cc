"""The front of ``declass serve``: an event loop that reads whole requests before gunicorn.

Why: a gunicorn thread that reads a request blocks on the socket, so a
hundred clients that trickle a head or a body hold every thread of every
worker. Here each connection costs a coroutine and a buffer; a request is
handed to gunicorn (on a private Unix socket) only once its head and body
are complete, so workers only ever compute. A head must arrive within
``header_timeout`` seconds, a body within ``body_timeout``; past either the
client gets a 408 and the connection is closed. Framing errors are answered
here with a problem (400, 414, 431) that quotes nothing of the request.

On SIGTERM the listener is closed first (a new connection is refused, not
parked), ``/readyz`` answers 503 on the connections still open, requests in
flight finish, and only then is gunicorn told to stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from typing import Any

import h11

from declass.service.config import Settings
from declass.service.http.edge_problem import edge_problem

log = logging.getLogger("declass.front")

#: Longest request target read, as gunicorn's ``limit_request_line``.
MAX_TARGET = 8190
#: Largest request head (request line and fields); larger is a 431.
MAX_HEAD = 64 * 1024
MAX_FIELDS = 100
#: Seconds an idle kept-alive connection is held open.
KEEPALIVE = 5
READ_CHUNK = 64 * 1024
#: Dropped on the way in: connection handling is per hop, and the client address is ours to say.
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-connection",
        b"transfer-encoding",
        b"te",
        b"trailer",
        b"upgrade",
        b"expect",
        b"content-length",
    }
)
CLIENT_HEADER = b"x-declass-client"


class Refused(Exception):
    """A request answered by the front itself, with this status, and then closed."""

    def __init__(self, status: int, code: str | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.code = code


class Front:
    """Accepts clients on the public address and relays whole requests to ``upstream``."""

    def __init__(self, settings: Settings, upstream: str) -> None:
        self.settings = settings
        self.upstream = upstream
        self.draining = False
        self.server: asyncio.Server | None = None
        self.connections: set[asyncio.Task[None]] = set()

    async def start(self, sock: socket.socket) -> None:
        self.server = await asyncio.start_server(self._accept, sock=sock, limit=READ_CHUNK)

    def stop_accepting(self) -> None:
        """Close the listener now: the kernel refuses new connections from here on."""
        self.draining = True
        if self.server is not None:
            self.server.close()

    async def drained(self, timeout: float) -> bool:
        """Wait for open connections to finish (kept-alive ones end within KEEPALIVE).

        False when some were still open at ``timeout`` and had to be cut.
        """
        if self.connections:
            await asyncio.wait(set(self.connections), timeout=timeout)
        cut = bool(self.connections)
        for task in self.connections:
            task.cancel()
        return not cut

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        if self.draining or len(self.connections) >= self.settings.max_connections:
            writer.close()
            return
        self.connections.add(task)
        try:
            await Connection(self, reader, writer).serve()
        except (OSError, asyncio.CancelledError):
            pass
        except Exception as exc:  # never let one client end the loop; log the type only
            log.error("front-error", extra={"fields": {"type": type(exc).__name__}})
        finally:
            self.connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


class Connection:
    """One client connection: read a request whole, relay it, repeat while kept alive."""

    def __init__(
        self, front: Front, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.front = front
        self.settings = front.settings
        self.reader = reader
        self.writer = writer
        self.h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD)
        peer = writer.get_extra_info("peername")
        self.client = str(peer[0]) if isinstance(peer, tuple) else "unix"
        self.served = 0
        _no_delay(writer)

    async def serve(self) -> None:
        while True:
            try:
                request, body = await self._read_request()
            except Refused as refused:
                await self._refuse(refused.status, refused.code)
                return
            except h11.RemoteProtocolError as exc:
                await self._refuse(exc.error_status_hint)
                return
            if request is None:
                return
            if self.front.draining and _path(request.target) == b"/readyz":
                await self._refuse(503, "draining")
                return
            await self._relay(request, body)
            self.served += 1
            if self.h11.our_state is not h11.DONE or self.h11.their_state is not h11.DONE:
                return
            if self.front.draining:
                return
            self.h11.start_next_cycle()

    async def _next_event(self, deadline: float, timeout_status: int | None) -> Any:
        loop = asyncio.get_running_loop()
        while True:
            event = self.h11.next_event()
            if event is not h11.NEED_DATA:
                return event
            remaining = deadline - loop.time()
            try:
                if remaining <= 0:
                    raise TimeoutError
                data = await asyncio.wait_for(self.reader.read(READ_CHUNK), remaining)
            except TimeoutError:
                if timeout_status is None:
                    return None
                raise Refused(timeout_status) from None
            self.h11.receive_data(data)

    async def _read_request(self) -> tuple[h11.Request | None, bytes]:
        loop = asyncio.get_running_loop()
        if not await self._first_bytes():
            return None, b""
        deadline = loop.time() + self.settings.header_timeout
        event = await self._next_event(deadline, 408)
        if isinstance(event, h11.ConnectionClosed):
            return None, b""
        if not isinstance(event, h11.Request):
            raise Refused(400)
        if len(event.target) > MAX_TARGET:
            raise Refused(414)
        if len(event.headers) > MAX_FIELDS:
            raise Refused(431)
        declared = _content_length(event)
        if declared is not None and declared > self.settings.max_body_bytes:
            raise Refused(413)
        if self.h11.client_is_waiting_for_100_continue:
            await self._send(h11.InformationalResponse(status_code=100, headers=[]))
        deadline = loop.time() + self.settings.body_timeout
        body = bytearray()
        while True:
            part = await self._next_event(deadline, 408)
            if isinstance(part, h11.Data):
                body += part.data
                if len(body) > self.settings.max_body_bytes:
                    raise Refused(413)
            elif isinstance(part, h11.EndOfMessage):
                return event, bytes(body)
            else:
                raise Refused(400)

    async def _first_bytes(self) -> bool:
        """Wait for a request to begin; an idle connection is closed without a word.

        A new connection gets ``header_timeout`` seconds, a kept-alive one KEEPALIVE.
        """
        if self.h11.trailing_data[0]:
            return True
        fresh = self.served == 0
        wait = self.settings.header_timeout if fresh else KEEPALIVE
        try:
            data = await asyncio.wait_for(self.reader.read(READ_CHUNK), wait)
        except TimeoutError:
            return False
        self.h11.receive_data(data)
        return bool(data)

    async def _relay(self, request: h11.Request, body: bytes) -> None:
        """Send the whole request to gunicorn and stream its answer back."""
        try:
            reader, writer = await asyncio.open_unix_connection(self.front.upstream)
        except OSError:
            await self._refuse(503, "not-ready")
            return
        upstream = h11.Connection(h11.CLIENT)
        headers = [(k, v) for k, v in request.headers if k.lower() not in HOP_BY_HOP]
        headers = [(k, v) for k, v in headers if k.lower() != CLIENT_HEADER]
        headers += [
            (b"content-length", str(len(body)).encode()),
            (CLIENT_HEADER, self.client.encode()),
            (b"connection", b"close"),
        ]
        try:
            outgoing = upstream.send(
                h11.Request(method=request.method, target=request.target, headers=headers)
            )
            writer.write((outgoing or b"") + (upstream.send(h11.Data(data=body)) or b""))
            writer.write(upstream.send(h11.EndOfMessage()) or b"")
            await writer.drain()
            await self._relay_response(upstream, reader)
        except (OSError, h11.ProtocolError, TimeoutError):
            if self.h11.our_state is h11.SEND_RESPONSE:
                await self._refuse(503, "not-ready")
            else:
                self.writer.close()
        finally:
            writer.close()

    async def _relay_response(self, upstream: h11.Connection, reader: asyncio.StreamReader) -> None:
        bound = self.settings.timeout + 10  # gunicorn restarts a worker stuck longer
        while True:
            event = upstream.next_event()
            if event is h11.NEED_DATA:
                upstream.receive_data(await asyncio.wait_for(reader.read(READ_CHUNK), bound))
                continue
            if isinstance(event, h11.InformationalResponse):
                continue
            if isinstance(event, h11.Response):
                headers = [  # raw_items: the names as the application spelled them
                    (k, v)
                    for k, v in event.headers.raw_items()
                    if k.lower() not in (b"connection", b"keep-alive", b"transfer-encoding")
                ]
                if self.front.draining:
                    headers.append((b"connection", b"close"))
                await self._send(h11.Response(status_code=event.status_code, headers=headers))
            elif isinstance(event, h11.Data):
                await self._send(h11.Data(data=event.data))
            elif isinstance(event, h11.EndOfMessage):
                await self._send(h11.EndOfMessage())
                return
            else:
                raise h11.RemoteProtocolError("the upstream closed early")

    async def _send(self, event: Any) -> None:
        data = self.h11.send(event)
        if data:
            self.writer.write(data)
            # A client that does not read its answer is dropped like one that does not send.
            await asyncio.wait_for(self.writer.drain(), self.settings.body_timeout)

    async def _refuse(self, status: int, code: str | None = None) -> None:
        """Answer with a problem and close; nothing of the request is quoted or logged."""
        status, reason, headers, body = edge_problem(status, code=code)
        log.info("front-refused", extra={"fields": {"status": status, "code": code or status}})
        if self.h11.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        response_headers = [(k.encode(), v.encode()) for k, v in headers]
        response_headers.append((b"connection", b"close"))
        with contextlib.suppress(h11.LocalProtocolError, OSError, TimeoutError):
            await self._send(
                h11.Response(status_code=status, headers=response_headers, reason=reason.encode())
            )
            await self._send(h11.Data(data=body))
            await self._send(h11.EndOfMessage())


def _no_delay(writer: asyncio.StreamWriter) -> None:
    """An answer goes out as a head and then a body, in two writes: with Nagle's algorithm
    the body waits for the client's delayed ACK of the head (40 ms on Linux) on every
    request of a kept-alive connection after the first."""
    sock = writer.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _path(target: bytes) -> bytes:
    return target.split(b"?", 1)[0]


def _content_length(request: h11.Request) -> int | None:
    for name, value in request.headers:
        if name == b"content-length":
            return int(value)  # h11 has checked it is digits
    return None
