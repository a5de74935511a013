"""WebSocket echo app for uWSGI's native WebSocket API, run by ./uwsgi-echo (see uwsgi.ini).

uWSGI 2.0's Python API hands over each data frame's payload as bytes without its opcode, so the
echo cannot know whether a message was text or binary. It sends back as text what is valid UTF-8
(every text message is) and as binary what is not: binary payloads that happen to be valid UTF-8,
such as pure ASCII, come back as text. See README.md for this and uWSGI's other limits.
"""
import uwsgi

ECHO_PATHS = ("/foobar", "/foobar/")


def application(environ, start_response):
    if environ.get("PATH_INFO") not in ECHO_PATHS:
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]
    if "HTTP_SEC_WEBSOCKET_KEY" not in environ:
        start_response("400 Bad Request", [("Content-Length", "0")])
        return [b""]
    uwsgi.websocket_handshake()  # reads the key (and origin) from the request
    while True:
        try:
            message = uwsgi.websocket_recv()  # answers pings itself; raises at close or error
        except OSError:
            return [b""]
        if is_utf8(message):
            uwsgi.websocket_send(message)
        else:
            uwsgi.websocket_send_binary(message)


def is_utf8(payload):
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
