'use strict';
// Socket.IO fan-out server, a peer in the Echowall benchmark: one room, as Socket.IO's documentation
// broadcasts to rooms.
//
//   node server.js [--port N]     listens on 127.0.0.1:N (default 8080), Socket.IO at /socket.io/
//
// A client that connects to the default namespace joins the room "fanout" and is sent the event
// "m" with "ready"; one whose handshake query has role=publisher joins nothing, and every event "m"
// it emits is emitted to the room with the same argument (io.to(room).emit: encoded once, written
// to each member). Socket.IO speaks its own protocol over the WebSocket (Engine.IO v4), so this peer
// has no plain WebSocket echo: clients connect to /socket.io/?EIO=4&transport=websocket.
// Socket.IO's defaults are kept: polling and WebSocket transports, no permessage-deflate, a ping every
// 25 s, 1 MB maxHttpBufferSize, the in-memory adapter.

const http = require('node:http');
const { Server } = require('socket.io');

const HOST = '127.0.0.1';
const ROOM = 'fanout';

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

// Socket.IO answers its own path; every other request gets 404.
const server = http.createServer((req, res) => {
  res.writeHead(404, { 'Content-Length': 0, Connection: 'close' });
  res.end();
});
const io = new Server(server, { serveClient: false });

io.on('connection', (socket) => {
  if (socket.handshake.query.role === 'publisher') {
    socket.on('m', (payload) => io.to(ROOM).emit('m', payload));
  } else {
    socket.join(ROOM); // before "ready": whatever is emitted after it reaches this client
    socket.emit('m', 'ready');
  }
});

server.listen(port, HOST, () => console.log(`ready ${port}`));

process.once('SIGTERM', () => {
  // Disconnects every client and closes the HTTP server; the process then exits by itself.
  io.close();
  setTimeout(() => process.exit(0), 1000).unref();
});
