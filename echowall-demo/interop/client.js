'use strict';
/*
 * An echo client on Node's `ws`, with permessage-deflate offered, for Echowall's interoperability
 * tests (NodeWsInteropTest runs it). Against each echo URL given it checks text, binary, multibyte
 * UTF-8, 1 MiB messages, 1000 small messages in order, that no empty or extra message ever arrives,
 * and a clean close with code 4000 and a reason, which the server must echo. Each URL is run twice:
 * with `perMessageDeflate: true` (ws then leaves messages under 1 KiB uncompressed) and with a
 * threshold of 0 (every message compressed).
 *
 * Usage: node client.js [--large=<bytes>] <ws-url> [<ws-url> ...]
 *   --large  the size of the large messages, 1 MiB (Echowall's default limit) unless given
 * Prints one JSON object on stdout; exits 0 when every check passed, 1 on a mismatch, 2 on misuse,
 * 3 when the whole run took too long.
 */
const WebSocket = require('ws');

const STEP_MS = 20000;       // the longest any single step may take
const RUN_MS = 240000;       // the longest the whole run may take
const LIMIT = 1 << 20;       // Echowall's default maxMessageSize, the large messages' default size
const MULTIBYTE = 'héllo wörld ✓ 你好 🎉';
const CLOSE_CODE = 4000;
const CLOSE_REASON = 'interop done ✓';

/** A deterministic pseudo-random buffer (xorshift32), hard to compress. */
function noise(size, seed) {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** Text of exactly `bytes` bytes of UTF-8, mostly multibyte characters. */
function multibyteText(bytes) {
  const unit = MULTIBYTE + ' ';
  const unitBytes = Buffer.byteLength(unit);
  const units = Math.floor(bytes / unitBytes);
  return unit.repeat(units) + '.'.repeat(bytes - units * unitBytes);
}

/** A message as sent or received: its type and its bytes. */
function message(isBinary, data) {
  return { isBinary, data: Buffer.isBuffer(data) ? data : Buffer.from(data) };
}

function describe(m) {
  if (!m) return 'nothing';
  const head = m.isBinary ? m.data.subarray(0, 16).toString('hex') : JSON.stringify(m.data.subarray(0, 48).toString());
  return `${m.isBinary ? 'binary' : 'text'}(${m.data.length} bytes: ${head}${m.data.length > 48 ? '…' : ''})`;
}

function same(a, b) {
  return !!a && !!b && a.isBinary === b.isBinary && a.data.equals(b.data);
}

/** Opens a connection and queues what it receives; resolves once open. */
function connect(url, perMessageDeflate) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate, handshakeTimeout: STEP_MS });
    const conn = { ws, inbox: [], waiters: [], empty: 0, received: 0, closed: null, error: null };
    ws.on('message', (data, isBinary) => {
      const m = message(isBinary, Array.isArray(data) ? Buffer.concat(data) : data);
      conn.received++;
      if (m.data.length === 0) conn.empty++;
      const waiter = conn.waiters.shift();
      if (waiter) waiter.resolve(m); else conn.inbox.push(m);
    });
    ws.on('close', (code, reason) => {
      conn.closed = { code, reason: reason.toString() };
      for (const waiter of conn.waiters.splice(0)) waiter.reject(new Error(`closed (${code}) while waiting for a message`));
    });
    ws.once('open', () => resolve(conn));
    ws.on('error', (error) => {
      conn.error = String(error);
      if (ws.readyState === WebSocket.CONNECTING) reject(error);
    });
  });
}

/** The next message, within STEP_MS. */
function next(conn) {
  if (conn.inbox.length > 0) return Promise.resolve(conn.inbox.shift());
  if (conn.closed) return Promise.reject(new Error(`closed (${conn.closed.code}) before the message arrived`));
  return new Promise((resolve, reject) => {
    const waiter = { resolve: undefined, reject: undefined };
    const timer = setTimeout(() => {
      conn.waiters.splice(conn.waiters.indexOf(waiter), 1);
      reject(new Error(`no message within ${STEP_MS} ms`));
    }, STEP_MS);
    waiter.resolve = (m) => { clearTimeout(timer); resolve(m); };
    waiter.reject = (e) => { clearTimeout(timer); reject(e); };
    conn.waiters.push(waiter);
  });
}

function send(conn, m) {
  return new Promise((resolve, reject) => {
    conn.ws.send(m.data, { binary: m.isBinary }, (error) => (error ? reject(error) : resolve()));
  });
}

/** Closes with CLOSE_CODE and CLOSE_REASON and waits for the close event, within STEP_MS. */
function closeCleanly(conn) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no close within ${STEP_MS} ms`)), STEP_MS);
    conn.ws.once('close', () => { clearTimeout(timer); resolve(conn.closed); });
    conn.ws.close(CLOSE_CODE, CLOSE_REASON);
  });
}

/** Runs every check against `url`; returns the run's report. */
async function run(url, offer, large) {
  const report = { url, offer: offer.name, extensions: null, checks: [], close: null, ok: false };
  const check = (name, ok, detail) => { report.checks.push({ name, ok: !!ok, detail: detail || '' }); };
  const echo = async (conn, name, m) => {
    await send(conn, m);
    const back = await next(conn);
    check(name, same(back, m), same(back, m) ? '' : `sent ${describe(m)}, got ${describe(back)}`);
  };
  let conn;
  try {
    conn = await connect(url, offer.perMessageDeflate);
    report.extensions = conn.ws.extensions;

    await echo(conn, 'text', message(false, 'hello'));
    await echo(conn, 'binary', message(true, Buffer.from([0, 1, 2, 0x80, 0xff, 0x78])));
    await echo(conn, 'multibyte text', message(false, MULTIBYTE));
    await echo(conn, 'multibyte text as binary', message(true, Buffer.from(MULTIBYTE)));
    await echo(conn, `binary of ${large} bytes`, message(true, noise(large, 42)));
    await echo(conn, `multibyte text of ${large} bytes`, message(false, multibyteText(large)));

    const small = [];
    for (let i = 0; i < 1000; i++) {
      small.push(i % 10 === 9 ? message(true, Buffer.from([i >> 8, i & 0xff])) : message(false, `message ${i} ✓`));
    }
    small.forEach((m) => conn.ws.send(m.data, { binary: m.isBinary }));
    let firstMismatch = null;
    for (let i = 0; i < small.length; i++) {
      const back = await next(conn);
      if (!firstMismatch && !same(back, small[i])) firstMismatch = `#${i}: sent ${describe(small[i])}, got ${describe(back)}`;
    }
    check('1000 small messages in order', !firstMismatch, firstMismatch);

    report.close = await closeCleanly(conn);
    check('close echoed with code and reason',
      report.close.code === CLOSE_CODE && report.close.reason === CLOSE_REASON,
      `got ${report.close.code} ${JSON.stringify(report.close.reason)}`);
    check('no message left over', conn.inbox.length === 0, `${conn.inbox.length} left, first ${describe(conn.inbox[0])}`);
    check('no empty message', conn.empty === 0, `${conn.empty} empty message(s)`);
    check('no error', conn.error === null, conn.error);
  } catch (error) {
    check('completed', false, String(error && error.message || error));
    if (conn && conn.ws.readyState !== WebSocket.CLOSED) conn.ws.terminate();
  }
  report.ok = report.checks.length > 0 && report.checks.every((c) => c.ok);
  return report;
}

async function main(urls, large) {
  const offers = [
    { name: 'perMessageDeflate: true', perMessageDeflate: true },
    { name: 'perMessageDeflate: { threshold: 0 }', perMessageDeflate: { threshold: 0 } },
  ];
  const runs = [];
  for (const url of urls) {
    for (const offer of offers) runs.push(await run(url, offer, large));
  }
  const result = {
    ok: runs.every((r) => r.ok),
    node: process.version,
    ws: require('ws/package.json').version,
    large,
    runs,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  return result.ok ? 0 : 1;
}

const args = process.argv.slice(2);
const largeOption = args.find((a) => a.startsWith('--large='));
const large = largeOption ? Number(largeOption.slice('--large='.length)) : LIMIT;
const urls = args.filter((a) => !a.startsWith('--'));
if (urls.length === 0 || urls.length + (largeOption ? 1 : 0) !== args.length
    || !urls.every((u) => /^wss?:\/\//.test(u)) || !Number.isInteger(large) || large < 0) {
  process.stderr.write('usage: node client.js [--large=<bytes>] <ws-url> [<ws-url> ...]\n');
  process.exit(2);
}
setTimeout(() => {
  process.stdout.write(JSON.stringify({ ok: false, error: `the run took longer than ${RUN_MS} ms` }) + '\n');
  process.exit(3);
}, RUN_MS).unref();
main(urls, large).then(
  (code) => { process.exitCode = code; },
  (error) => {
    process.stdout.write(JSON.stringify({ ok: false, error: String(error && error.stack || error) }) + '\n');
    process.exitCode = 1;
  });
