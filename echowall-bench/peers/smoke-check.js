'use strict';
// Proves that a peer really echoes: real WebSocket round trips checked byte for byte and by type.
//
//   node smoke-check.js --port N [--name NAME]   the full check on ws://127.0.0.1:N/foobar (and /foobar/)
//   node smoke-check.js --port N --probe         one small text round trip (used by start-peer)
//   node smoke-check.js --port N --edges         prints what the peer does with edge cases
//
// The full check sends, one at a time: a text message with multibyte UTF-8 (2-, 3- and 4-byte
// sequences), a binary message holding all 256 byte values, a 1 MiB text and a 1 MiB binary
// message; then it closes with 1000 and expects the server's close frame back (a clean close:
// 1000 echoed, or an empty close frame, which the RFC allows and the output points out).
// It also fails when the server sends anything it did not ask for, such as an empty message.
// The client offers no permessage-deflate, like the benchmark's load generator. Every step has a
// deadline; the process exits 0 only if every check passed.

const path = require('node:path');
const WebSocket = require(require.resolve('ws', { paths: [path.join(__dirname, 'node-ws')] }));

const STEP_TIMEOUT_MS = 10_000;
const MIB = 1 << 20;

function parseArgs(argv) {
  const options = { port: 0, name: 'peer', probe: false, edges: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') options.port = Number(argv[++i]);
    else if (argv[i] === '--name') options.name = argv[++i];
    else if (argv[i] === '--probe') options.probe = true;
    else if (argv[i] === '--edges') options.edges = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new Error('usage: node smoke-check.js --port N [--name NAME] [--probe | --edges]');
  }
  return options;
}

// A text of exactly `bytes` bytes of UTF-8 mixing 1-, 2-, 3- and 4-byte characters.
function textOfSize(bytes) {
  const unit = 'echo wall, 回音壁, é ß ж 🧱🎶 ';
  let text = unit.repeat(Math.floor(bytes / Buffer.byteLength(unit)));
  text += 'x'.repeat(bytes - Buffer.byteLength(text));
  return text;
}

// Deterministic bytes that are not valid UTF-8 (a plain xorshift generator).
function binaryOfSize(bytes) {
  const buffer = Buffer.alloc(bytes);
  let x = 0x9e3779b9;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    buffer[i] = x & 0xff;
  }
  return buffer;
}

// One WebSocket connection whose events are awaited in order, each with a deadline.
class Connection {
  constructor(url) {
    this.url = url;
    this.inbox = [];
    this.waiter = null;
    this.closed = null;
  }

  open() {
    return withDeadline(`open ${this.url}`, new Promise((resolve, reject) => {
      this.ws = new WebSocket(this.url, { perMessageDeflate: false, handshakeTimeout: STEP_TIMEOUT_MS });
      this.ws.on('open', resolve);
      this.ws.on('error', (error) => { this.error = error; reject(error); this.wake(); });
      this.ws.on('message', (data, isBinary) => { this.inbox.push({ data, isBinary }); this.wake(); });
      this.ws.on('close', (code, reason) => { this.closed = { code, reason: reason.toString() }; this.wake(); });
    }));
  }

  wake() {
    if (this.waiter) { const waiter = this.waiter; this.waiter = null; waiter(); }
  }

  async next(what) {
    while (this.inbox.length === 0) {
      if (this.closed) throw new Error(`connection closed (${this.closed.code}) while waiting for ${what}`);
      await withDeadline(what, new Promise((resolve) => { this.waiter = resolve; }));
    }
    return this.inbox.shift();
  }

  async echo(label, payload, binary) {
    this.ws.send(payload, { binary });
    const reply = await this.next(`the echo of ${label}`);
    const sent = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
    if (reply.isBinary !== binary) {
      throw new Error(`sent ${binary ? 'binary' : 'text'}, got ${reply.isBinary ? 'binary' : 'text'} back`);
    }
    if (!sent.equals(reply.data)) {
      throw new Error(`sent ${sent.length} bytes, got ${reply.data.length} different bytes back`);
    }
    return `${sent.length} bytes, ${binary ? 'binary' : 'text'}`;
  }

  async close() {
    this.ws.close(1000, 'bye');
    while (!this.closed) {
      await withDeadline('the close handshake', new Promise((resolve) => { this.waiter = resolve; }));
    }
    if (this.inbox.length > 0) {
      throw new Error(`${this.inbox.length} unexpected message(s), the first of ${this.inbox[0].data.length} bytes`);
    }
    // RFC 6455 §5.5.1: the answering close frame typically echoes the code, but may be empty.
    if (this.closed.code === 1005) return 'the server answered with an empty close frame, not 1000';
    if (this.closed.code !== 1000) {
      const why = this.error ? `: ${this.error.message}` : '';
      throw new Error(`closed with ${this.closed.code} (1006: no valid close frame came back)${why}`);
    }
    return `code ${this.closed.code} echoed`;
  }

  terminate() {
    if (this.ws) this.ws.terminate();
  }
}

function withDeadline(what, promise) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// Inputs a strict server must handle, each with what one does. --edges prints what the peer does
// and judges nothing: README.md records the differences.
const EDGE_CASES = [
  ['text fragmented inside "é" (68 c3 | a9 6c)', 'text 68c3a96c', (ws) => {
    ws.send(Buffer.from([0x68, 0xc3]), { binary: false, fin: false });
    ws.send(Buffer.from([0xa9, 0x6c]), { fin: true });
  }],
  ['binary that is valid UTF-8 ("abc")', 'binary 616263', (ws) => ws.send(Buffer.from('abc'), { binary: true })],
  ['text that is not UTF-8 (61 ff)', 'no message; closed 1007', (ws) => ws.send(Buffer.from([0x61, 0xff]), { binary: false })],
  ['binary of 1 MiB + 1 byte', 'no message; closed 1009 (if 1 MiB is its limit)',
    (ws) => ws.send(Buffer.alloc(MIB + 1, 1), { binary: true })],
];
const EDGE_WINDOW_MS = 2000;

async function observeEdge(url, send) {
  const connection = new Connection(url);
  await connection.open();
  send(connection.ws);
  for (let waited = 0; waited < EDGE_WINDOW_MS && !connection.closed; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const closed = connection.closed ? `closed ${connection.closed.code}` : 'still open';
  connection.terminate();
  const messages = connection.inbox.map(({ data, isBinary }) =>
    `${isBinary ? 'binary' : 'text'} ${data.length <= 16 ? data.toString('hex') : `of ${data.length} bytes`}`);
  return `${messages.length > 0 ? messages.join(', ') : 'no message'}; ${closed}`;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const base = `ws://127.0.0.1:${options.port}`;

  if (options.edges) {
    for (const [label, strict, send] of EDGE_CASES) {
      const seen = await observeEdge(`${base}/foobar`, send).catch((error) => `error: ${error.message}`);
      console.log(`${options.name}: EDGE ${label}: ${seen}  [strict: ${strict}]`);
    }
    return 0;
  }

  if (options.probe) {
    const connection = new Connection(`${base}/foobar`);
    try {
      await connection.open();
      await connection.echo('a probe', 'probe ✓', false);
    } finally {
      connection.terminate();
    }
    return 0;
  }

  const plain = new Connection(`${base}/foobar`);
  const slash = new Connection(`${base}/foobar/`);
  const checks = [
    ['open /foobar', () => plain.open().then(() => 'open')],
    ['text, multibyte UTF-8', () => plain.echo('the text', 'héllo, 回音壁 🧱🎶 ж', false)],
    ['binary, all 256 byte values', () => plain.echo('the bytes', Buffer.from([...Array(256).keys()]), true)],
    ['1 MiB text', () => plain.echo('1 MiB of text', textOfSize(MIB), false)],
    ['1 MiB binary', () => plain.echo('1 MiB of binary', binaryOfSize(MIB), true)],
    ['clean close', () => plain.close()],
    ['/foobar/ text echo and clean close', async () => {
      await slash.open();
      await slash.echo('the text', 'trailing slash ✓', false);
      return slash.close();
    }],
  ];

  let passed = 0;
  let failed = 0;
  for (const [label, check] of checks) {
    try {
      const detail = await check();
      passed++;
      console.log(`${options.name}: PASS ${label} (${detail})`);
    } catch (error) {
      failed++;
      console.log(`${options.name}: FAIL ${label}: ${error.message}`);
    }
  }
  plain.terminate();
  slash.terminate();
  console.log(`${options.name}: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => { console.error(`smoke-check: ${error.message}`); process.exit(2); },
);
