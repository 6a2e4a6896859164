"""Drive a server with wrk (Debian package `wrk`), pinned to its own core, and parse its figures."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class LoadResult:
    """Throughput and latency of one endpoint under load."""

    name: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    requests: int
    errors: int
    #: Server CPU time (user + system, all workers) per request during the measurement.
    cpu_ms_per_request: float | None = None


def ensure_wrk() -> str:
    """The wrk binary; installed from Debian's packages when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed and could not be installed (apt-get install wrk)")
    return found


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(text)
    return float(m.group(1)) * _UNITS[m.group(2)]


def _lua(paths: list[str], headers: dict[str, str], method: str, body: str | None) -> str:
    quoted = ",".join(f'"{p}"' for p in paths)
    hdrs = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in headers.items())
    body_line = f"wrk.body = [[{body}]]\n" if body is not None else ""
    return (
        f'wrk.method = "{method}"\n{hdrs}{body_line}'
        f"local paths = {{{quoted}}}\nlocal n = #paths\nlocal i = 0\n"
        "request = function()\n  i = i % n + 1\n  return wrk.format(nil, paths[i])\nend\n"
        "done = function(summary, latency, requests)\n"
        "  io.write(string.format('ERRORS %d %d %d %d %d\\n', summary.errors.connect,"
        " summary.errors.read, summary.errors.write, summary.errors.status,"
        " summary.errors.timeout))\n"
        "  io.write(string.format('PCT %f %f %f\\n', latency:percentile(50) / 1000,"
        " latency:percentile(99) / 1000, latency.max / 1000))\n"
        "end\n"
    )


def run_wrk(
    name: str,
    base_url: str,
    paths: list[str],
    *,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: str | None = None,
    connections: int = 16,
    seconds: int = 10,
    threads: int = 1,
    cpus: str = "1",
    cpu_seconds: Callable[[], float] | None = None,
) -> LoadResult:
    """Warm up for 2 s, then measure `seconds` at `connections` concurrent connections;
    `cpu_seconds` reads the server's CPU time, sampled around the measurement."""
    wrk = ensure_wrk()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(paths, headers or {}, method, body))
    base_cmd = ["taskset", "-c", cpus, wrk] if shutil.which("taskset") else [wrk]
    common = ["-t", str(threads), "-c", str(connections), "--timeout", "10s", "-s", script.name]
    subprocess.run([*base_cmd, *common, "-d", "2s", base_url], check=True, capture_output=True)
    cpu_before = cpu_seconds() if cpu_seconds else 0.0
    out = subprocess.run(
        [*base_cmd, *common, "-d", f"{seconds}s", base_url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    cpu_used = (cpu_seconds() - cpu_before) if cpu_seconds else None
    Path(script.name).unlink()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    err = [int(x) for x in re.search(r"ERRORS (\d+) (\d+) (\d+) (\d+) (\d+)", out).groups()]  # type: ignore[union-attr]
    p50, p99, mx = (float(x) for x in re.search(r"PCT ([\d.]+) ([\d.]+) ([\d.]+)", out).groups())  # type: ignore[union-attr]
    cpu_ms = cpu_used * 1000 / total if cpu_used is not None and total else None
    return LoadResult(name, rps, p50, p99, mx, total, sum(err), cpu_ms)
