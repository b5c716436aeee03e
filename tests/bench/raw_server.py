"""A bare Flask-SocketIO server on gevent: connects anyone, broadcasts on POST /emit.

`python -m tests.bench.raw_server PORT`; used by raw_broadcast.py as the update's floor.
"""

from gevent import monkey

monkey.patch_all()  # first, as `facilitator run` does: before anything imports ssl or socket

import sys  # noqa: E402
import time  # noqa: E402

from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO  # noqa: E402


def serve(port: int) -> None:
    """Serve until terminated, as `make run` serves the app (gevent, no request log)."""
    app = Flask(__name__)
    sio = SocketIO(app, async_mode="gevent", ping_interval=20, ping_timeout=25)

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    @app.post("/emit")
    def emit() -> tuple[str, int]:
        html = "x" * int(request.get_json()["size"])
        sio.emit("fragment", {"screen": "phone", "v": 1, "t": time.time_ns(), "html": html})
        return "", 204

    sio.run(app, host="127.0.0.1", port=port, debug=False, use_reloader=False, log_output=False)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
