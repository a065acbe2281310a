# SPDX-License-Identifier: Apache-2.0
# A raw control-socket client: frames built byte by byte, for requests routerctl cannot send.
"""The wire format of router/api (messages.hh, codec.cc), re-implemented independently so a test
can send what a well-behaved client never would: SET_IP_MISC with an unknown arg or no argument,
garbage, a header announcing an oversized frame, half a request.

    request frame: magic u32 | version u16 | type u16 | len u32 | id u32                | payload
    reply frame:   magic u32 | version u16 | type u16 | len u32 | for_id u32 | status i32 | payload

Every integer is big-endian. `len` counts payload bytes. status 0 = the reply struct follows,
else a positive errno and a u16-length error message.
"""

from __future__ import annotations

import errno
import socket
import struct
import time
from dataclasses import dataclass

MAGIC = 0x52545244  # "RTRD"
VERSION = 1
REQUEST_HEADER = struct.Struct("!IHHII")
REPLY_HEADER = struct.Struct("!IHHIIi")
MAX_MESSAGE_SIZE = 256 * 1024

# MsgType values (messages.hh: "values are the contract, never renumber").
HELLO = 1
GET_IP_STUFF = 2
GET_IFREQ_ALL = 3
GET_ICMPSTAT = 4
GET_IGMPSTAT = 5
GET_IF_LIST = 6
SET_IP_MISC = 10
SET_MGMT = 17
LINK_EVENT = 18


def request_frame(msg_type: int, payload: bytes = b"", req_id: int = 1, *,
                  magic: int = MAGIC, version: int = VERSION, length: int | None = None) -> bytes:
    """One request frame; `length` overrides the header's len (to lie about the size)."""
    n = len(payload) if length is None else length
    return REQUEST_HEADER.pack(magic, version, msg_type, n, req_id) + payload


def set_ip_misc(arg: int, ip_forwarding: int = 0, ip_default_ttl: int = 0) -> bytes:
    """SET_IP_MISC's payload: arg i32 | ip_forwarding i32 | ip_default_ttl i32."""
    return struct.pack("!iii", arg, ip_forwarding, ip_default_ttl)


@dataclass
class Reply:
    msg_type: int
    for_id: int
    status: int
    payload: bytes

    @property
    def error_message(self) -> str:
        """The u16-length message of an error reply (status != 0)."""
        if self.status == 0 or len(self.payload) < 2:
            return ""
        (n,) = struct.unpack_from("!H", self.payload)
        return self.payload[2:2 + n].decode(errors="replace")

    def __str__(self) -> str:
        name = errno.errorcode.get(self.status, str(self.status)) if self.status else "ok"
        return f"reply type {self.msg_type} for id {self.for_id}: {name} {self.error_message!r}"


class Conn:
    """A raw connection to routerd's control socket; every read has a deadline."""

    def __init__(self, path: str, timeout: float = 5.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(str(path))
        self.timeout = timeout

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> "Conn":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _read_exact(self, n: int, deadline: float) -> bytes:
        buf = b""
        while len(buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"control socket: {len(buf)} of {n} bytes before the deadline")
            self.sock.settimeout(left)
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionResetError(f"control socket closed after {len(buf)} of {n} bytes")
            buf += chunk
        return buf

    def read_reply(self, timeout: float | None = None) -> Reply:
        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout)
        head = self._read_exact(REPLY_HEADER.size, deadline)
        magic, version, msg_type, length, for_id, status = REPLY_HEADER.unpack(head)
        if magic != MAGIC or version != VERSION:
            raise ValueError(f"bad reply header {head.hex()}")
        if length > MAX_MESSAGE_SIZE:
            raise ValueError(f"reply announces {length} bytes")
        return Reply(msg_type, for_id, status, self._read_exact(length, deadline))

    def call(self, msg_type: int, payload: bytes = b"", req_id: int = 1) -> Reply:
        """Send one request, return the reply addressed to it (link events are skipped)."""
        self.send(request_frame(msg_type, payload, req_id))
        for _ in range(64):
            r = self.read_reply()
            if r.msg_type == LINK_EVENT and r.for_id == 0:
                continue
            return r
        raise RuntimeError("control socket: no reply among 64 frames")

    def closed_by_peer(self, timeout: float = 2.0) -> bool:
        """True once the peer closed the connection (EOF or reset) within timeout; data that
        arrives meanwhile (an error reply) is read and dropped."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                if not self.sock.recv(65536):
                    return True
            except socket.timeout:
                return False
            except (ConnectionResetError, BrokenPipeError):
                return True
        return False
