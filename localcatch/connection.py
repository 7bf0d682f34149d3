"""A client's connection to `catch.py serve`, read and written within a timeout: every way a client fails
becomes `ClientGone`, which the request's log line tells in words."""
from __future__ import annotations

import io
import socket
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

STOP_POLL_SECONDS = 0.2  # how often a wait checks whether the server is stopping


class ClientGone(Exception):
    """The client stopped taking part: it closed or reset the connection, or was too slow. Says so in words
    for the request's log line, with no traceback."""


class ClientStream(io.RawIOBase):
    """A client's socket as a handler's rfile and wfile, turning every failure into `ClientGone`.

    Reading the request shares one deadline, so a client that trickles a byte at a time is cut as surely
    as one that sends nothing; a wait stops early when the server is stopping. Sending the answer gets the
    timeout anew, since the workflow may have taken most of it."""

    def __init__(self, connection: socket.socket, timeout: float, stopping: threading.Event):
        super().__init__()
        self.connection, self.timeout, self.stopping = connection, timeout, stopping
        self.deadline = time.monotonic() + timeout

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        while True:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise ClientGone("dropped: the request took over {:g} s to arrive".format(self.timeout))
            self.connection.settimeout(min(remaining, STOP_POLL_SECONDS))
            try:
                return self.connection.recv_into(buffer)
            except socket.timeout:
                if self.stopping.is_set():
                    raise ClientGone("dropped: the server is stopping") from None
            except OSError as error:
                raise ClientGone("the client went away while sending the request ({})".format(
                    type(error).__name__)) from None

    def write(self, data: ReadableBuffer) -> int:
        self.connection.settimeout(self.timeout)
        try:
            self.connection.sendall(data)
        except socket.timeout:
            raise ClientGone("dropped: the answer took over {:g} s to send".format(self.timeout)) from None
        except OSError as error:
            raise ClientGone("the client went away before the answer was sent ({})".format(
                type(error).__name__)) from None
        return memoryview(data).nbytes
