"""Driving a server with `wrk` (Debian's package; `make bench` installs it).

Every run is given a Lua script: `request()` sends the figure's requests (a GET with a
token, or a POST whose body, token and `Idempotency-Key` change with every request), and
`done()` prints wrk's own count and latency percentiles as one JSON line, which is read
back here. wrk counts every answer; one of 400 or above (wrk's `status` errors) or a socket
error fails the figure.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

DONE = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format('WRK {"requests": %d, "micros": %d, "p50": %d, "p99": %d, "status": %d, '
    .. '"socket": %d}\\n', summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
"""


@dataclass(frozen=True)
class Target:
    """What one request sends: `body` None for a GET; a POST gets a fresh Idempotency-Key."""

    path: str
    token: str | None = None
    body: dict | None = None


@dataclass(frozen=True)
class Result:
    label: str
    workers: int
    connections: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    failed: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def available() -> str | None:
    return shutil.which("wrk")


def script(targets: list[Target], threads: int = 2) -> str:
    """Lua for wrk: thread i of `threads` cycles through targets i, i + threads, i + 2 × threads …
    so two threads never change one aggregate, and one thread's connections only do when a
    request is slower than all those it has sent since (a conflict then is counted as failed).
    A POST's Idempotency-Key is new for every request of every run."""
    rows = []
    for t in targets:
        headers = {"Authorization": f"Bearer {t.token}"} if t.token else {}
        method, body = ("GET", "") if t.body is None else ("POST", json.dumps(t.body))
        if t.body is not None:
            headers["Content-Type"] = "application/json"
        header_lua = ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in headers.items())
        rows.append(f"  {{method = {_lua(method)}, path = {_lua(t.path)}, body = {_lua(body)}, "
                    f"headers = {{{header_lua}}}}},")
    return "\n".join([
        "local targets = {", *rows, "}",
        f"local threads, counter, serial, step = 0, 0, '', {threads}",
        "setup = function(thread) thread:set('index', threads); threads = threads + 1 end",
        "init = function(args) serial = string.format('%d-%d', index or 0, os.time()) end",
        "request = function()",
        "  local t = targets[((index or 0) + counter * step) % #targets + 1]",
        "  counter = counter + 1",
        "  local headers = {}",
        "  for k, v in pairs(t.headers) do headers[k] = v end",
        "  if t.method == 'POST' then headers['Idempotency-Key'] = serial .. '-' .. counter end",
        "  return wrk.format(t.method, t.path, headers, t.method == 'POST' and t.body or nil)",
        "end",
        DONE,
    ])


def run(label: str, url: str, targets: list[Target], *, workers: int, connections: int, seconds: float,
        threads: int = 2) -> Result:
    """wrk for `seconds` at `connections`; `failed` counts answers of 400 and above (wrk's
    status errors) and socket errors."""
    with tempfile.TemporaryDirectory(prefix="trellis-wrk-") as folder:
        lua = Path(folder) / "figure.lua"
        lua.write_text(script(targets, threads))
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
                   "-s", str(lua), url]
        answer = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    line = next((x for x in answer.stdout.splitlines() if x.startswith("WRK ")), None)
    if answer.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({answer.returncode}): {answer.stderr[-500:] or answer.stdout[-500:]}")
    found = json.loads(line[4:])
    failed = found["status"] + found["socket"]
    return Result(label, workers, connections, found["requests"], found["micros"] / 1e6,
                  found["p50"] / 1000, found["p99"] / 1000, failed)


def _lua(value: str) -> str:
    """A Lua string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
