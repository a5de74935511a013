'use strict';
// Proves that a peer keeps the fan-out contract (README.md): real subscribers and publishers, every
// delivery checked in order, byte for byte and by type.
//
//   node fanout-check.js --port N [--name NAME] [--socketio]   the full check
//   node fanout-check.js --port N [--socketio] --probe         one subscriber gets "ready" (used by start-peer)
//
// Plain WebSocket peers are checked at ws://127.0.0.1:N/fanout with `ws` from node-ws/; Socket.IO
// peers with the official socket.io-client from socketio/ (an implementation independent of the load
// generator's own Engine.IO client). The full check: three subscribers each get "ready" first; two
// publishers connect with role=publisher; one publishes 50 texts, the other (plain WebSocket only) a
// binary message of all 256 byte values and 64 KiB of text; every subscriber gets all of them, in each
// publisher's order, and the publishers get nothing; everyone closes cleanly. Every step has a
// deadline; the process exits 0 only if every check passed.

const path = require('node:path');

const STEP_TIMEOUT_MS = 10_000;
const QUIET_MS = 300;

function parseArgs(argv) {
  const options = { port: 0, name: 'peer', probe: false, socketio: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') options.port = Number(argv[++i]);
    else if (argv[i] === '--name') options.name = argv[++i];
    else if (argv[i] === '--probe') options.probe = true;
    else if (argv[i] === '--socketio') options.socketio = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new Error('usage: node fanout-check.js --port N [--name NAME] [--socketio] [--probe]');
  }
  return options;
}

function withDeadline(what, promise) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// What both kinds of client share: an inbox of { data: Buffer, isBinary } awaited in order.
class Client {
  constructor(label) {
    this.label = label;
    this.inbox = [];
    this.waiter = null;
    this.closed = null;
  }

  receive(data, isBinary) {
    this.inbox.push({ data: Buffer.isBuffer(data) ? data : Buffer.from(String(data), 'utf8'), isBinary });
    this.wake();
  }

  wake() {
    if (this.waiter) { const waiter = this.waiter; this.waiter = null; waiter(); }
  }

  async next(what) {
    while (this.inbox.length === 0) {
      if (this.closed) throw new Error(`${this.label} closed (${this.closed}) while waiting for ${what}`);
      await withDeadline(`${what} at ${this.label}`, new Promise((resolve) => { this.waiter = resolve; }));
    }
    return this.inbox.shift();
  }

  async expect(what, payload, isBinary) {
    const got = await this.next(what);
    const wanted = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
    if (got.isBinary !== isBinary) throw new Error(`${this.label} got ${what} as ${got.isBinary ? 'binary' : 'text'}`);
    if (!wanted.equals(got.data)) {
      throw new Error(`${this.label} expected ${what} (${wanted.length} bytes), got ${got.data.length} other bytes: `
        + JSON.stringify(got.data.subarray(0, 40).toString('latin1')));
    }
  }

  async expectNothing() {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    if (this.inbox.length > 0) {
      throw new Error(`${this.label} got ${this.inbox.length} message(s) it should not, the first `
        + JSON.stringify(this.inbox[0].data.subarray(0, 40).toString('latin1')));
    }
  }
}

// A plain WebSocket client (ws, no permessage-deflate).
class WebSocketClient extends Client {
  static WebSocket = require(require.resolve('ws', { paths: [path.join(__dirname, 'node-ws')] }));

  constructor(port, publisher, label) {
    super(label);
    this.url = `ws://127.0.0.1:${port}/fanout${publisher ? '?role=publisher' : ''}`;
  }

  open() {
    return withDeadline(`open ${this.url}`, new Promise((resolve, reject) => {
      this.ws = new WebSocketClient.WebSocket(this.url, { perMessageDeflate: false, handshakeTimeout: STEP_TIMEOUT_MS });
      this.ws.on('open', resolve);
      this.ws.on('error', (error) => { reject(error); this.wake(); });
      this.ws.on('message', (data, isBinary) => this.receive(data, isBinary));
      this.ws.on('close', (code) => { this.closed = `code ${code}`; this.wake(); });
    }));
  }

  send(payload, isBinary) {
    this.ws.send(payload, { binary: isBinary });
  }

  async close() {
    this.ws.close(1000);
    while (!this.closed) {
      await withDeadline(`the close handshake of ${this.label}`, new Promise((resolve) => { this.waiter = resolve; }));
    }
    if (this.closed !== 'code 1000' && this.closed !== 'code 1005') throw new Error(`${this.label} ${this.closed}`);
  }

  terminate() {
    if (this.ws) this.ws.terminate();
  }
}

// A Socket.IO client (the official one, WebSocket transport only); messages are the event "m".
class SocketIoClient extends Client {
  static io = require(require.resolve('socket.io-client', { paths: [path.join(__dirname, 'socketio')] })).io;

  constructor(port, publisher, label) {
    super(label);
    this.url = `http://127.0.0.1:${port}`;
    this.query = publisher ? { role: 'publisher' } : {};
  }

  open() {
    return withDeadline(`connect to ${this.url}`, new Promise((resolve, reject) => {
      this.socket = SocketIoClient.io(this.url, { transports: ['websocket'], query: this.query, reconnection: false, forceNew: true });
      this.socket.on('connect', resolve);
      this.socket.on('connect_error', (error) => { reject(error); this.wake(); });
      this.socket.on('m', (payload) => this.receive(payload, false));
      this.socket.on('disconnect', (reason) => { this.closed = reason; this.wake(); });
    }));
  }

  send(payload) {
    this.socket.emit('m', payload);
  }

  async close() {
    this.socket.disconnect();
  }

  terminate() {
    if (this.socket) this.socket.disconnect();
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const Kind = options.socketio ? SocketIoClient : WebSocketClient;
  const clients = [];
  const client = (publisher, label) => {
    const created = new Kind(options.port, publisher, label);
    clients.push(created);
    return created;
  };

  if (options.probe) {
    const subscriber = client(false, 'the probe');
    try {
      await subscriber.open();
      await subscriber.expect('"ready"', 'ready', false);
    } finally {
      subscriber.terminate();
    }
    return 0;
  }

  const subscribers = [0, 1, 2].map((i) => client(false, `subscriber ${i}`));
  const texts = client(true, 'publisher A');
  const other = client(true, 'publisher B');
  const bytes = Buffer.from([...Array(256).keys()]);
  const big = 'x'.repeat(64 * 1024);
  const checks = [
    ['every subscriber gets "ready" first', async () => {
      for (const subscriber of subscribers) {
        await subscriber.open();
        await subscriber.expect('"ready"', 'ready', false);
      }
      return `${subscribers.length} subscribers`;
    }],
    ['50 texts from one publisher reach every subscriber in order', async () => {
      await texts.open();
      for (let n = 0; n < 50; n++) texts.send(`a${n}`, false);
      for (const subscriber of subscribers) {
        for (let n = 0; n < 50; n++) await subscriber.expect(`message a${n}`, `a${n}`, false);
      }
      return '150 deliveries';
    }],
    options.socketio
      ? ['64 KiB of text from a second publisher', async () => {
        await other.open();
        other.send(big, false);
        for (const subscriber of subscribers) await subscriber.expect('64 KiB of text', big, false);
        return '3 deliveries';
      }]
      : ['binary (all 256 byte values) and 64 KiB of text from a second publisher', async () => {
        await other.open();
        other.send(bytes, true);
        other.send(big, false);
        for (const subscriber of subscribers) {
          await subscriber.expect('the binary message', bytes, true);
          await subscriber.expect('64 KiB of text', big, false);
        }
        return '6 deliveries';
      }],
    ['publishers get nothing, not even their own messages', async () => {
      await texts.expectNothing();
      await other.expectNothing();
      for (const subscriber of subscribers) await subscriber.expectNothing();
      return `${QUIET_MS} ms of quiet`;
    }],
    ['everyone closes cleanly', async () => {
      for (const each of clients) await each.close();
      return `${clients.length} connections`;
    }],
  ];

  let passed = 0;
  let failed = 0;
  for (const [label, check] of checks) {
    try {
      const detail = await check();
      passed++;
      console.log(`${options.name}: PASS fanout: ${label} (${detail})`);
    } catch (error) {
      failed++;
      console.log(`${options.name}: FAIL fanout: ${label}: ${error.message}`);
    }
  }
  clients.forEach((each) => each.terminate());
  console.log(`${options.name}: fanout ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => { console.error(`fanout-check: ${error.message}`); process.exit(2); },
);
