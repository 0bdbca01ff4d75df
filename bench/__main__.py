"""`python -m bench --scale S`: measure every key page under gunicorn on PostgreSQL.

1. Make sure the benchmark database (BENCH_DATABASE_URL, its own, never the tests') holds
   national data at scale S: migrate it and run `flask demo national` when it does not.
2. Start gunicorn with the production configuration on a loopback port.
3. Sign in as each key page's user, and for each page (and the reference page): count its
   SQL statements, weigh it with the assets it loads, then load it with wrk for a bounded
   time with one client and with 8.
4. Write bench/results.json and bench/results.md, and print the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests
import sqlalchemy as sa

from config import database_url

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
AGENT = "lep-bench/1.0"
REFERENCE = "reference"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/lep_bench"

#: The issue's targets at S = 1.
P95_TARGET_MS = 50.0
MI_P95_TARGET_MS = 100.0
QUERY_TARGET = 12
SHARE_TARGET = 0.60
BYTES_TARGET = 150_000


class LoopbackSession(requests.Session):
    """Sends the production `__Host-`/Secure session cookie back over plain loopback HTTP,
    as a browser does over the TLS in front of production (requests sends a Secure cookie
    only over HTTPS, and a cookie policy on the jar is lost when requests merges jars)."""

    def request(self, *args, **kwargs) -> requests.Response:
        response = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


class _Resources(HTMLParser):
    """The stylesheets, scripts and images a page makes the browser load."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") in ("stylesheet", "icon", "modulepreload"):
            url = attributes.get("href")
        elif tag in ("script", "img"):
            url = attributes.get("src")
        else:
            url = None
        if url and not url.startswith("data:"):
            self.urls.append(url)


@dataclass
class Page:
    name: str
    email: str | None
    path: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _flask(url: str, *args: str) -> None:
    environment = {**os.environ, "DATABASE_URL": url, "APP_ENV": "development"}
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], check=True, env=environment)


def prepare_database(url: str, scale: float) -> None:
    """Create and migrate the database, and load national data unless it is there at this
    scale already (the generator is deterministic, so the same scale means the same data)."""
    server = sa.engine.make_url(url)
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": server.database}
        )
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{server.database}"'))
    admin.dispose()
    _flask(url, "db", "upgrade")
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        accounts = connection.scalar(sa.text("SELECT count(*) FROM organisation"))
    engine.dispose()
    expected = 190_000 * scale
    if abs(accounts - expected) > max(0.1 * expected, 50):
        print(f"Loading national data at scale {scale} (found {accounts} accounts)", flush=True)
        _flask(url, "demo", "national", "--scale", str(scale), "--replace")
    else:
        print(f"National data at scale {scale} already loaded ({accounts} accounts)")


def key_pages(url: str) -> list[Page]:
    from app import create_app
    from app.extensions import db
    from config import DevelopmentConfig
    from national.build import bench_pages

    # The configuration classes read DATABASE_URL when imported: name the database here.
    config = type("BenchConfig", (DevelopmentConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)
    with app.app_context():
        pages = [Page(name, email, path) for name, email, path in bench_pages(db.session)]
        db.session.remove()
        db.engine.dispose()
    return pages


class Portal:
    """gunicorn serving bench.wsgi:app with the production configuration."""

    def __init__(self, url: str, workers: int, threads: int) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = {
            **os.environ,
            "APP_ENV": "production",
            "DATABASE_URL": url,
            "SECRET_KEY": "benchmark-only-not-secret",
            "RATELIMIT_STORAGE_URI": os.environ.get(
                "RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/15"
            ),
            "PYTHONPATH": str(ROOT),
        }
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "bench.wsgi:app",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
                "--log-level",
                "warning",
                "--preload",
                # Gunicorn 27's default control socket is one per user: another master
                # (a test run, a second bench) would collide with it.
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=environment,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/bench/fortunes", timeout=10).ok:
                    return
            except requests.RequestException:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # A busy machine can keep gthread workers finishing requests past the grace
            # period: the measurements are taken, so do not lose them over the shutdown.
            self.process.kill()
            self.process.wait(timeout=30)


def sign_in(base: str, email: str, password: str) -> requests.Session:
    session = LoopbackSession()
    session.headers["User-Agent"] = AGENT
    form = session.get(base + "/sign-in")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text).group(1)
    response = session.post(
        base + "/sign-in",
        data={"csrf_token": token, "email": email, "password": password},
        allow_redirects=False,
    )
    if response.status_code not in (302, 303):
        raise RuntimeError(f"could not sign in as {email}: {response.status_code}")
    return session


def _wire_bytes(session: requests.Session, url: str) -> int:
    """Bytes on the wire: as served when the server compresses (WhiteNoise's .br), else the
    gzip a compressing proxy in front of the app would send."""
    response = session.get(url, headers={"Accept-Encoding": "br, gzip"}, stream=True)
    raw = response.raw.read(decode_content=False)
    if response.headers.get("Content-Encoding"):
        return len(raw)
    return len(gzip.compress(raw, compresslevel=6))


def weigh(session: requests.Session, base: str, path: str) -> tuple[int, int]:
    """The SQL statements the page runs, and its weight with everything it loads."""
    response = session.get(base + path)
    response.raise_for_status()
    if response.url.rstrip("/") != (base + path).rstrip("/"):
        raise RuntimeError(f"{path} redirected to {response.url}")
    queries = int(response.headers["X-Queries"])
    total = len(gzip.compress(response.content, compresslevel=6))
    resources = _Resources()
    resources.feed(response.text)
    for url in dict.fromkeys(resources.urls):
        total += _wire_bytes(session, urljoin(base + path, url))
    return queries, total


#: Requests sampled one after another for the CPU milliseconds a page costs in the worker.
CPU_SAMPLES = 25


def cpu_ms(session: requests.Session, base: str, path: str) -> float:
    """The median CPU milliseconds per request spent in the worker (its `X-CPU-Ms` header):
    what limits the page's requests per second per core, whatever the machine's load."""
    samples = []
    for _ in range(CPU_SAMPLES):
        response = session.get(base + path)
        response.raise_for_status()
        samples.append(float(response.headers["X-CPU-Ms"]))
    samples.sort()
    return samples[len(samples) // 2]


def load(base: str, path: str, cookie: str, clients: int, seconds: int) -> dict:
    environment = {**os.environ, "BENCH_COOKIE": cookie, "BENCH_AGENT": AGENT}
    run = subprocess.run(
        [
            "wrk",
            f"--threads={min(clients, 2)}",
            f"--connections={clients}",
            f"--duration={seconds}s",
            "--timeout=10s",
            f"--script={HERE / 'report.lua'}",
            base + path,
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    result = json.loads(run.stdout.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def measure(portal: Portal, pages: list[Page], password: str, seconds: int) -> dict:
    results: dict[str, dict] = {}
    sessions: dict[str | None, requests.Session] = {}
    for page in [Page(REFERENCE, None, "/bench/fortunes"), *pages]:
        if page.email not in sessions:
            sessions[page.email] = (
                sign_in(portal.base, page.email, password) if page.email else requests.Session()
            )
        session = sessions[page.email]
        queries, weight = weigh(session, portal.base, page.path)
        cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        cpu = cpu_ms(session, portal.base, page.path)
        print(
            f"  {page.name}: {queries} queries, {cpu:.1f} ms CPU, {weight:,} bytes; loading…",
            flush=True,
        )
        one = load(portal.base, page.path, cookie, 1, seconds)
        eight = load(portal.base, page.path, cookie, 8, seconds)
        for run in (one, eight):
            if run["socket_errors"] or run["bad_status"]:
                raise RuntimeError(f"{page.name}: errors under load: {run}")
        results[page.name] = {
            "path": page.path,
            "queries": queries,
            "cpu_ms": round(cpu, 2),
            # Requests a second one core could serve at that CPU cost (the app's share only).
            "rps_per_core": round(1000 / cpu, 1) if cpu else None,
            "p50_ms": round(one["p50_us"] / 1000, 2),
            "p95_ms": round(one["p95_us"] / 1000, 2),
            "p99_ms": round(one["p99_us"] / 1000, 2),
            "p50_ms_8_clients": round(eight["p50_us"] / 1000, 2),
            "p95_ms_8_clients": round(eight["p95_us"] / 1000, 2),
            "p99_ms_8_clients": round(eight["p99_us"] / 1000, 2),
            "rps": round(eight["rps"], 1),
            "rps_1_client": round(one["rps"], 1),
            "bytes": weight,
        }
    reference = results[REFERENCE]["rps"]
    for result in results.values():
        result["rps_share_of_reference"] = round(result["rps"] / reference, 3)
    return results


def missed(name: str, result: dict) -> list[str]:
    """The targets this page misses (the reference page has none)."""
    if name == REFERENCE:
        return []
    p95_target = MI_P95_TARGET_MS if name == "mi" else P95_TARGET_MS
    misses = []
    if result["p95_ms"] > p95_target:
        misses.append(f"p95 > {p95_target:g} ms")
    if result["queries"] > QUERY_TARGET:
        misses.append(f"queries > {QUERY_TARGET}")
    if result["rps_share_of_reference"] < SHARE_TARGET:
        misses.append(f"rps < {SHARE_TARGET:.0%} of reference")
    if result["bytes"] > BYTES_TARGET:
        misses.append(f"bytes > {BYTES_TARGET // 1000} kB")
    return misses


def table(results: dict) -> str:
    lines = [
        "| Page | Queries | CPU ms | p50 ms | p95 ms | p99 ms | p95 ms (8 clients)"
        " | req/s (8 clients) | Share of reference | Bytes | Targets |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for name, result in results.items():
        misses = missed(name, result)
        verdict = (
            "—" if name == REFERENCE else ("missed: " + ", ".join(misses) if misses else "met")
        )
        lines.append(
            f"| {name} | {result['queries']} | {result['cpu_ms']:.1f} "
            f"| {result['p50_ms']:.1f} | {result['p95_ms']:.1f} "
            f"| {result['p99_ms']:.1f} | {result['p95_ms_8_clients']:.1f} | {result['rps']:.0f} "
            f"| {result['rps_share_of_reference']:.0%} | {result['bytes']:,} | {verdict} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seconds", type=int, default=None, help="each wrk run (default 10)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 2)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", 4)))
    parser.add_argument("--skip-load", action="store_true", help="use the data already there")
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `make bench` installs it, or run `apt-get install wrk`")
    url = database_url(os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL)
    seconds = arguments.seconds or (10 if arguments.scale >= 0.5 else 5)
    if not arguments.skip_load:
        prepare_database(url, arguments.scale)
    pages = key_pages(url)
    from app.demo.seed import DEMO_PASSWORD

    load_before = os.getloadavg()[0]
    print(f"Starting gunicorn ({arguments.workers} workers x {arguments.threads} threads)")
    portal = Portal(url, arguments.workers, arguments.threads)
    try:
        results = measure(portal, pages, DEMO_PASSWORD, seconds)
    finally:
        portal.stop()
    meta = {
        "scale": arguments.scale,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "gunicorn": f"{arguments.workers} workers x {arguments.threads} threads (gthread)",
        "seconds_per_run": seconds,
        # Other work on the machine inflates every latency: the 1-minute load average
        # before and after the run says how quiet it was.
        "load_average": f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after",
        "latency": "p50/p95/p99 with one client; req/s with 8 concurrent clients (wrk)",
        "cpu_ms": f"median of {CPU_SAMPLES} sequential requests' CPU time in the worker "
        "thread (time.thread_time, X-CPU-Ms), Python and driver only, not PostgreSQL",
        "bytes": "HTML gzip-compressed plus every stylesheet, script and image it loads, "
        "as served (WhiteNoise brotli) or gzip-compressed",
    }
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    markdown = table(results)
    details = "\n".join(f"- {key}: {value}" for key, value in meta.items())
    (HERE / "results.md").write_text(f"# Benchmark results\n\n{details}\n\n{markdown}\n")
    (HERE / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print()
    print(markdown)
    missing = {name: missed(name, result) for name, result in results.items()}
    if any(missing.values()):
        print(
            "\nTargets missed: "
            + "; ".join(f"{n}: {', '.join(m)}" for n, m in missing.items() if m)
        )


if __name__ == "__main__":
    main()
