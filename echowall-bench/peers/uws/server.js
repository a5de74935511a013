'use strict';
// WebSocket echo and fan-out server on uWebSockets.js (C++ under a thin Node binding), a peer in the
// Echowall benchmark.
//
//   node server.js [--port N]     listens on 127.0.0.1:N (default 8080)
//
// /foobar and /foobar/: every message comes back as it came. /fanout: a connection subscribes to the
// topic "fanout" and is sent "ready"; one whose query has role=publisher subscribes to nothing and
// publishes every message it sends to the topic with app.publish (ws.publish would do nothing: uWS
// lets a socket publish only once it has subscribed to some topic). uWS's defaults are kept but for the 1 MiB message limit (16 KiB by default); among them:
// no permessage-deflate, 64 KiB maxBackpressure (a subscriber further behind misses published
// messages until it catches up), 120 s idleTimeout with automatic pings.

// The package's own loader falls back to a pure JavaScript implementation (on `ws`) when the native
// build does not load, which would measure something else: load the native build or nothing.
const uWS = require(`@trufflesuite/uws-js-unofficial/binaries/uws_${process.platform}_${process.arch}_${process.versions.modules}.node`);

const HOST = '127.0.0.1';
const MAX_PAYLOAD = 1 << 20;
const TOPIC = 'fanout';

function parsePort(args) {
  if (args.length === 0) return 8080;
  const port = Number(args[1]);
  if (args.length === 2 && args[0] === '--port' && Number.isInteger(port) && port >= 1 && port <= 65535) {
    return port;
  }
  console.error(`usage: node server.js [--port N], 1 <= N <= 65535; got ${args.join(' ')}`);
  process.exit(2);
}

const port = parsePort(process.argv.slice(2));
const open = new Set(); // every open WebSocket, to close them on SIGTERM

const echo = {
  maxPayloadLength: MAX_PAYLOAD,
  open: (ws) => open.add(ws),
  message: (ws, message, isBinary) => ws.send(message, isBinary),
  close: (ws) => open.delete(ws),
};

const fanout = {
  maxPayloadLength: MAX_PAYLOAD,
  // The role is in the query, which only the upgrade request carries: keep it in the user data.
  upgrade: (res, req, context) => {
    res.upgrade({ publisher: req.getQuery('role') === 'publisher' },
      req.getHeader('sec-websocket-key'), req.getHeader('sec-websocket-protocol'),
      req.getHeader('sec-websocket-extensions'), context);
  },
  open: (ws) => {
    open.add(ws);
    if (!ws.getUserData().publisher) {
      ws.subscribe(TOPIC); // before "ready": whatever is published after it reaches this subscriber
      ws.send('ready');
    }
  },
  message: (ws, message, isBinary) => {
    if (ws.getUserData().publisher) app.publish(TOPIC, message, isBinary);
  },
  close: (ws) => open.delete(ws),
};

let listenSocket = null;
const app = uWS.App();
app
  .ws('/foobar', echo)
  .ws('/foobar/', echo)
  .ws('/fanout', fanout)
  .any('/*', (res) => res.writeStatus('404 Not Found').writeHeader('Connection', 'close').end())
  .listen(HOST, port, (token) => {
    if (!token) {
      console.error(`cannot listen on ${HOST}:${port}`);
      process.exit(1);
    }
    listenSocket = token;
    console.log(`ready ${port}`);
  });

process.once('SIGTERM', () => {
  uWS.us_listen_socket_close(listenSocket);
  for (const ws of open) ws.end(1001, 'server shutting down');
  // Clients that do not answer the close in time are cut off; the process then exits by itself.
  setTimeout(() => {
    for (const ws of open) ws.close();
    process.exit(0);
  }, 1000).unref();
});
