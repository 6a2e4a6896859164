"""Start the service as in production (uvicorn, JSON logs off the hot path), pinned to cores."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """An unused TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running uvicorn server."""

    base_url: str
    process: subprocess.Popen[bytes]

    def rss_mb(self) -> list[float]:
        """Resident set size of each worker (or the single server process), in MB."""
        pids = [self.process.pid, *_children(self.process.pid)]
        workers = _children(self.process.pid) or [self.process.pid]
        return [_rss(p) for p in workers if p in pids]

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the server and its workers so far, in seconds."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in [self.process.pid, *_children(self.process.pid)]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / tick


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _rss(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def serve(
    env: dict[str, str], *, workers: int, cpus: str, log_path: Path | None = None
) -> Iterator[Server]:
    """Run `uvicorn app.main:app` on a free port, pinned to `cpus`, until the block ends;
    the server's stderr goes to `log_path` when given."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", cpus, *cmd]
    full_env = {**os.environ, **env, "KEPU_LOG_LEVEL": "WARNING"}
    log = log_path.open("ab") if log_path is not None else None
    process = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("server did not start")
            time.sleep(0.2)
        yield Server(base_url=base, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        if log is not None:
            log.close()
