"""The real server set-up on this machine: gunicorn processes, nginx with the shipped config.

Used by the proof tests (tests/server/test_nginx.py) and `BENCH=server make bench`.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.live_server import CLEARED, ROOT, free_port

NGINX_SITE = ROOT / "deploy" / "nginx" / "facilitator.conf"
UNIT = ROOT / "deploy" / "systemd" / "facilitator@.service"
STATIC = ROOT / "facilitator" / "static"
PG_ADMIN = os.environ.get("TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("TEST_REDIS", "redis://127.0.0.1:6379/0")
GUNICORN = Path(sys.executable).with_name("gunicorn")


def missing_services() -> list[str]:
    """What of PostgreSQL, Redis, nginx, gunicorn and openssl this machine lacks."""
    missing = []
    try:
        import psycopg

        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
    except Exception as exc:  # any failure means: not testable here
        missing.append(f"PostgreSQL at {PG_ADMIN} ({type(exc).__name__})")
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except Exception as exc:
        missing.append(f"Redis at {REDIS} ({type(exc).__name__})")
    for tool in ("nginx", "openssl"):
        if not (shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists()):
            missing.append(tool)
    if not GUNICORN.exists():
        missing.append("gunicorn (pip install '.[server]')")
    return missing


def create_database(prefix: str = "facilitator_srv") -> str:
    import psycopg

    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited ({process.returncode}):\n{tail(log)}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)  # polling a starting process: nothing to wait on
    raise RuntimeError(f"no /healthz from {url} after {timeout_s:.0f} s:\n{tail(log)}")


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def stop(process: subprocess.Popen | None, quick: bool = False) -> None:
    """Stop a process; `quick` is gunicorn's fast shutdown (SIGINT), not the graceful one."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGINT if quick else signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def shipped_gunicorn_args() -> str:
    """The gunicorn options of the shipped systemd unit, with `{port}` for its `%i`."""
    text = UNIT.read_text().replace("\\\n", " ")
    line = next(x for x in text.splitlines() if x.startswith("ExecStart=") and "gunicorn" in x)
    args = line.split("gunicorn", 1)[1].strip()
    assert "127.0.0.1:%i" in args, "the shipped unit no longer binds 127.0.0.1:%i"
    return args.replace("%i", "{port}")


def behind_nginx(nginx: Nginx, database: str) -> dict[str, str]:
    """The settings of an installation as deploy/ runs it: PostgreSQL, Redis, behind `nginx`."""
    return {
        "DATABASE_URL": database,
        "SOCKETIO_MESSAGE_QUEUE": REDIS,
        "SECRET_KEY": secrets.token_hex(16),
        "PUBLIC_URL": f"https://127.0.0.1:{nginx.https_port}",
        "SECURE_COOKIES": "1",
        "PROXY_HOPS": "1",
    }


@dataclass
class Installation:
    """One installation: its settings, shared by all its gunicorn processes."""

    folder: Path
    settings: dict[str, str]
    processes: list[tuple[int, subprocess.Popen]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in CLEARED}
        env.update(INSTANCE_PATH=str(self.folder / "instance"), PYTHONUNBUFFERED="1")
        env.update(self.settings)
        return env

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "facilitator", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    def log(self, port: int) -> Path:
        return self.folder / f"gunicorn-{port}.log"

    def start(self, count: int, migrate_first: bool = True) -> list[int]:
        """Start `count` processes at once and wait until each answers."""
        ports = self.launch(count, migrate_first)
        self.wait()
        return ports

    def launch(self, count: int, migrate_first: bool = True) -> list[int]:
        """Start `count` processes at once, as systemd's units do (migrate, then gunicorn)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        ports = [free_port() for _ in range(count)]
        gunicorn = f"exec {GUNICORN} {shipped_gunicorn_args()}"
        migrate = f"{sys.executable} -m facilitator migrate && " if migrate_first else ""
        started = []
        for port in ports:
            with self.log(port).open("ab") as out:
                process = subprocess.Popen(
                    ["sh", "-c", migrate + gunicorn.format(port=port)],
                    cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                )  # fmt: skip
            started.append((port, process))
        self.processes.extend(started)
        return ports

    def wait(self) -> None:
        for port, process in self.processes:
            wait_healthy(f"http://127.0.0.1:{port}", process, self.log(port))

    def stop(self) -> None:
        # All at once: each takes a few seconds to wind down its background tasks.
        for _port, process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for _port, process in self.processes:
            stop(process, quick=True)
        self.processes.clear()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, made with openssl for this run only."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@dataclass
class Nginx:
    """nginx running the shipped site config, with only its paths and ports changed."""

    folder: Path
    backends: list[int]
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    cert: Path | None = None
    workers: str = "1"

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    def site(self, cert: Path, key: Path) -> str:
        """The shipped config with this run's ports, certificate, static folder and log."""
        text = NGINX_SITE.read_text()
        servers = "".join(f"    server 127.0.0.1:{p};\n" for p in self.backends)
        text = re.sub(r"(    server 127\.0\.0\.1:\d+;\n)+", servers, text)
        replacements = {
            "listen 80;": f"listen 127.0.0.1:{self.http_port};",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{self.https_port} ssl http2;",
            "/etc/ssl/facilitator/fullchain.pem": str(cert),
            "/etc/ssl/facilitator/privkey.pem": str(key),
            "/opt/facilitator/static/": f"{STATIC}/",
            "/var/log/nginx/facilitator.log": str(self.access_log),
            "kursus.example.dk": "127.0.0.1",
        }
        for old, new in replacements.items():
            assert old in text, f"the shipped nginx config no longer has {old!r}"
            text = text.replace(old, new)
        # IPv6 listeners are not needed on loopback here.
        return re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", text)

    def start(self) -> Nginx:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.cert is None:
            self.cert = self_signed(self.folder)[0]
        cert, key = self.cert, self.folder / "key.pem"
        (self.folder / "site.conf").write_text(self.site(cert, key))
        mime = "/etc/nginx/mime.types"
        (self.folder / "nginx.conf").write_text(
            f"worker_processes {self.workers};\nworker_rlimit_nofile 65536;\n"
            f"error_log {self.folder}/error.log;\n"
            f"pid {self.folder}/nginx.pid;\n"
            "events { worker_connections 16384; }\n"
            f"http {{\n  include {mime};\n  default_type application/octet-stream;\n"
            f"  client_body_temp_path {self.folder}/body;\n  proxy_temp_path {self.folder}/proxy;\n"
            f"  fastcgi_temp_path {self.folder}/fcgi;\n  uwsgi_temp_path {self.folder}/uwsgi;\n"
            f"  scgi_temp_path {self.folder}/scgi;\n  include {self.folder}/site.conf;\n}}\n"
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        conf = str(self.folder / "nginx.conf")
        checked = subprocess.run([nginx, "-t", "-c", conf], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen(
            [nginx, "-c", conf, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=(self.folder / "stderr.log").open("ab"),
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                import ssl

                ctx = ssl._create_unverified_context()
                with urllib.request.urlopen(self.url + "/healthz", timeout=2, context=ctx):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)  # nginx is starting
        raise RuntimeError(f"nginx did not answer:\n{tail(self.folder / 'error.log')}")

    def stop(self) -> None:
        stop(self.process)
