'use strict';
// WebSocket echo server on Node's `ws` package, a peer in the Echowall benchmark.
//
//   node server.js [--port N]     listens on 127.0.0.1:N (default 8080), echoes at /foobar and /foobar/
//
// `ws` defaults are kept: maxPayload 100 MiB, permessage-deflate off on the server, TCP_NODELAY on
// (ws sets it on every upgraded socket). `bufferutil`, which ws's README recommends for speed, is
// an optional dependency; ws uses it when it loads.

const http = require('node:http');
const { WebSocketServer } = require('ws');

const HOST = '127.0.0.1';
const PATHS = new Set(['/foobar', '/foobar/']);

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

const server = http.createServer((req, res) => {
  res.writeHead(404, { 'Content-Length': 0, Connection: 'close' });
  res.end();
});
const wss = new WebSocketServer({ noServer: true });

server.on('upgrade', (req, socket, head) => {
  const path = req.url.split('?', 1)[0];
  if (!PATHS.has(path)) {
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});

wss.on('connection', (ws) => {
  // `data` is a Buffer for both types; `binary` keeps the type, and text is sent back as is.
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  // ws has already closed the connection with the right code (1002, 1007, 1009); an 'error'
  // event without a listener would throw and end the whole process.
  ws.on('error', () => {});
});

server.listen(port, HOST, () => console.log(`ready ${port}`));

process.once('SIGTERM', () => {
  server.close();
  for (const ws of wss.clients) ws.close(1001, 'server shutting down');
  // Clients that do not answer the close in time are cut off; the process then exits by itself.
  setTimeout(() => {
    for (const ws of wss.clients) ws.terminate();
  }, 1000).unref();
});
