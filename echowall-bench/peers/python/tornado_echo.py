"""WebSocket echo server on Tornado.

The echo wall demo's Tornado stack. Run with Debian's Python, which has the package:

    /usr/bin/python3 tornado_echo.py [--port N]    # 127.0.0.1:N (default 8080), /foobar and /foobar/

Tornado's defaults are kept (10 MiB message limit, same-origin check on browser upgrades) except
Nagle, which Tornado leaves on unless the handler turns it off.
"""
import argparse
import asyncio
import signal

import tornado.web
import tornado.websocket


class EchoHandler(tornado.websocket.WebSocketHandler):
    def open(self):
        self.set_nodelay(True)

    def on_message(self, message):
        # str for text, bytes for binary
        self.write_message(message, binary=isinstance(message, bytes))


async def serve(port):
    app = tornado.web.Application([(r"/foobar/?", EchoHandler)])
    server = app.listen(port, address="127.0.0.1")
    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    print(f"ready {port}", flush=True)
    await stopping.wait()
    server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    asyncio.run(serve(parser.parse_args().port))


if __name__ == "__main__":
    main()
