"""The `facilitator` command's server set-up."""

from __future__ import annotations

import socket

from gevent import pywsgi

from facilitator import cli


def test_the_run_server_answers_without_nagle_delay():
    # Without TCP_NODELAY a reused connection waited ~40 ms (delayed ACK) per request.
    make = pywsgi.WSGIServer.get_listener
    try:
        cli._answer_without_delay()
        listener = pywsgi.WSGIServer.get_listener(("127.0.0.1", 0), family=socket.AF_INET)
        try:
            assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        finally:
            listener.close()
    finally:
        pywsgi.WSGIServer.get_listener = make
