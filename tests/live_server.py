"""Start the real server as `make run` does, in a subprocess: for browser, scale-out and bench."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLEARED = ("SECRET_KEY", "DATABASE_URL", "PUBLIC_URL", "SOCKETIO_MESSAGE_QUEUE")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    """One server process on 127.0.0.1 with its own instance folder and log."""

    instance: Path
    env_extra: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.instance / f"server-{self.port}.log"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in CLEARED}
        env.update(
            INSTANCE_PATH=str(self.instance),
            HOST="127.0.0.1",
            PORT=str(self.port),
            PYTHONUNBUFFERED="1",
            # A test server: one PBKDF2 round instead of scrypt (~0.3 s a login otherwise).
            PASSWORD_HASH_METHOD="pbkdf2:sha256:1",
        )
        env.update(self.env_extra)
        return env

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """Run a `facilitator` sub-command against this server's database."""
        return subprocess.run(
            [sys.executable, "-m", "facilitator", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def start(self, timeout_s: float = 30.0) -> LiveServer:
        self.instance.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "facilitator", "run"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            self.wait_healthy(timeout_s)
        except BaseException:
            self.stop()  # a server that never came up must not outlive the test run
            raise
        return self

    def wait_healthy(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        last = ""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError) as exc:
                last = str(exc)
            time.sleep(0.1)  # polling a starting process: nothing to wait on
        raise RuntimeError(f"no /healthz after {timeout_s:.0f} s ({last}):\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
