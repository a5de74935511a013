"""WebSocket echo server: Flask with gevent-websocket under gevent's WSGIServer.

The echo wall demo's second stack. Run with Debian's Python, which has the packages:

    /usr/bin/python3 gevent_echo.py [--port N]    # 127.0.0.1:N (default 8080), /foobar and /foobar/

gevent-websocket has no message size limit; it validates UTF-8 through wsaccel when installed (its
README recommends it). Request logging is off, as in the other peers.
"""
import argparse
import signal
import socket

import gevent
from flask import Flask, abort, request
from gevent.pywsgi import WSGIServer
from geventwebsocket.handler import WebSocketHandler

app = Flask(__name__)


# websocket=True: since Werkzeug 2.0 a plain rule answers a WebSocket upgrade with 400, which is
# how the demo's original code fails on current Flask.
@app.route("/foobar", websocket=True)
@app.route("/foobar/", websocket=True)
def echo():
    ws = request.environ.get("wsgi.websocket")
    if ws is None:
        abort(400)  # gevent-websocket refused the upgrade
    while True:
        message = ws.receive()  # str for text, bytearray for binary, None once closed
        if message is None:
            break  # never echo the None: that was the demo's stream of empty messages
        ws.send(message, binary=not isinstance(message, str))
    return ""


class NoDelayWSGIServer(WSGIServer):
    """gevent's WSGIServer with Nagle off on every connection (gevent leaves it on)."""

    def handle(self, client, address):
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().handle(client, address)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    port = parser.parse_args().port
    server = NoDelayWSGIServer(("127.0.0.1", port), app, handler_class=WebSocketHandler, log=None)
    server.start()
    # Stop accepting, give open connections a second, then exit.
    gevent.signal_handler(signal.SIGTERM, lambda: gevent.spawn(server.stop, timeout=1))
    print(f"ready {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
