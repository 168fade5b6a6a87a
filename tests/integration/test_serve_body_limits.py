"""A real `trellis serve` process refuses a 150 MB body without taking it into memory.

The server is a separate process; the client writes raw HTTP on a socket (one thread
sending the body as fast as the server takes it, the other reading the answer), and the
server's peak resident memory (VmHWM) is read from /proc before and after each attack.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.http.auth import issue_token
from api.settings import Settings

MiB = 1024 * 1024
BODY = 150 * MiB
GROWTH = 8 * MiB  # "a few MB": the server may allocate for the request itself, never for its body
ADMINISTRATOR = f"Bearer {issue_token(Settings(environment='development'), 'body-limits-admin', ['administrator'])}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, data: Path) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRELLIS_")} | {
            "TRELLIS_ENVIRONMENT": "development", "TRELLIS_DATA_DIR": str(data)}
        subprocess.run([sys.executable, "-m", "api.cli", "db", "init"], env=env, check=True, capture_output=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(self.port), "--no-projections"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.log: list[str] = []
        for line in self.process.stderr:  # blocks until uvicorn says it listens (no polling)
            self.log.append(line)
            if "Uvicorn running on" in line:
                break
        else:
            raise RuntimeError(f"trellis serve did not start: {''.join(self.log)[-2000:]}")
        threading.Thread(target=lambda: self.log.extend(self.process.stderr), daemon=True).start()

    def peak_memory(self) -> int:
        """VmHWM: the most resident memory the process has ever had, in bytes."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmHWM:"))

    def request(self, head: str, body: Iterator[bytes] = iter(())) -> tuple[int, dict[str, str], bytes]:
        """Sends the head, then the body from a second thread while the answer is read."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=60) as sock:
            sock.sendall(head.encode())
            sender = threading.Thread(target=_send, args=(sock, body), daemon=True)
            sender.start()
            answer = http.client.HTTPResponse(sock)
            answer.begin()
            content = answer.read()
            try:
                sock.shutdown(socket.SHUT_RDWR)  # a sender still writing stops here
            except OSError:  # the server closed it already
                pass
            sender.join(timeout=60)
            return answer.status, {k.lower(): v for k, v in answer.getheaders()}, content

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _send(sock: socket.socket, body: Iterator[bytes]) -> None:
    try:
        for chunk in body:
            sock.sendall(chunk)
    except OSError:  # the server answered and closed, or the reader shut the socket
        pass


def megabytes(total: int, chunked: bool = False) -> Iterator[bytes]:
    chunk = b"[" * MiB
    framed = b"%x\r\n" % len(chunk) + chunk + b"\r\n" if chunked else chunk
    for _ in range(total // MiB):
        yield framed
    if chunked:
        yield b"0\r\n\r\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("serve"))
    try:
        for _ in range(3):  # warm: the first requests' allocations are not the body's
            running.request("GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        yield running
    finally:
        running.stop()


def head(method: str, path: str, **headers: str) -> str:
    """A request's head, signed in as no one unless an `Authorization` header is given: a declared
    length is refused before anyone is asked who they are."""
    lines = [f"{method} {path} HTTP/1.1", "Host: t", "Content-Type: application/json", "Connection: close"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return "\r\n".join(lines) + "\r\n\r\n"


class TestA150MegabyteBody:
    def test_declared_to_a_route_that_takes_no_body_is_refused_unread(self, server):
        before = server.peak_memory()
        status, headers, content = server.request(head("GET", "/health", Content_Length=str(BODY)), megabytes(BODY))
        assert (status, headers["content-type"]) == (413, "application/problem+json")
        assert json.loads(content)["type"] == "/problems/too-large"
        assert server.peak_memory() - before < GROWTH

    def test_declared_to_a_command_is_refused_unread(self, server):
        before = server.peak_memory()
        status, _, content = server.request(head("POST", "/programmes", Content_Length=str(BODY)), megabytes(BODY))
        assert (status, json.loads(content)["type"]) == (413, "/problems/too-large")
        assert server.peak_memory() - before < GROWTH

    def test_streamed_to_a_command_is_refused_once_past_the_limit(self, server):
        before = server.peak_memory()
        status, _, content = server.request(
            head("POST", "/programmes", Transfer_Encoding="chunked", Authorization=ADMINISTRATOR),
            megabytes(BODY, chunked=True))
        assert (status, json.loads(content)["type"]) == (413, "/problems/too-large")
        assert server.peak_memory() - before < GROWTH

    def test_streamed_to_a_command_by_no_one_is_refused_unread(self, server):
        before = server.peak_memory()
        status, _, content = server.request(head("POST", "/programmes", Transfer_Encoding="chunked"),
                                            megabytes(BODY, chunked=True))
        assert (status, json.loads(content)["type"]) == (401, "/problems/unauthenticated")
        assert server.peak_memory() - before < GROWTH

    def test_streamed_to_a_route_that_takes_no_body_is_never_read(self, server):
        before = server.peak_memory()
        status, _, content = server.request(head("GET", "/health", Transfer_Encoding="chunked"),
                                            megabytes(BODY, chunked=True))
        assert status == 200 and json.loads(content)["status"] == "ok"
        assert server.peak_memory() - before < GROWTH
