// Reconnecting: exponential backoff with full jitter, its cap, and its reset after a good connection.

import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeClock, fakeWebSockets, loadClient } from "./fakes.mjs";

const { connect } = await loadClient();

/** A client on fakes whose jitter draws `random()`, and the waits it announces before each retry. */
function setUp(options = {}) {
  const clock = new FakeClock();
  const sockets = fakeWebSockets();
  const client = connect("ws://127.0.0.1:1/rooms", { WebSocket: sockets.WebSocket, clock, ...options });
  const waits = [];
  client.on("state", (e) => {
    if (e.retryIn !== undefined) waits.push(e.retryIn);
  });
  return { clock, sockets, client, waits };
}

/** Fails the current attempt and lets the scheduled retry happen. */
function failAndRetry({ clock, sockets, waits }) {
  sockets.last.drop(1006);
  clock.advance(waits[waits.length - 1]);
}

test("each retry's bound doubles from retryBase up to retryCap, and the wait is drawn below it", () => {
  const almostOne = 1 - 2 ** -40;
  const s = setUp({ retryBase: 100, retryCap: 3000, random: () => almostOne });
  for (let i = 0; i < 8; i++) failAndRetry(s);
  assert.deepEqual(s.waits, [99, 199, 399, 799, 1599, 2999, 2999, 2999]);
  assert.equal(s.sockets.sockets.length, 9);
});

test("full jitter: a wait can be anything from zero to just below the bound", () => {
  const draws = [0, 0.5, 0.25, 0.999];
  const s = setUp({ retryBase: 1000, retryCap: 100_000, random: () => draws.shift() });
  for (let i = 0; i < 4; i++) failAndRetry(s);
  assert.deepEqual(s.waits, [0, 1000, 1000, 7992]);
});

test("waits drawn with Math.random stay within their bounds and differ between clients", () => {
  const firstWaits = new Set();
  for (let c = 0; c < 50; c++) {
    const s = setUp({ retryBase: 500, retryCap: 4000 });
    for (let i = 0; i < 6; i++) failAndRetry(s);
    s.waits.forEach((wait, i) => {
      const bound = Math.min(4000, 500 * 2 ** i);
      assert.ok(Number.isInteger(wait) && wait >= 0 && wait < bound, `wait ${i} was ${wait}, bound ${bound}`);
    });
    firstWaits.add(s.waits[2]);
    s.client.close();
  }
  assert.ok(firstWaits.size > 10, `fifty clients drew only ${firstWaits.size} different waits`);
});

test("the retry comes when its wait is over, not before", () => {
  const s = setUp({ retryBase: 1000, random: () => 0.5 });
  s.sockets.last.drop(1006);
  assert.deepEqual(s.waits, [500]);
  s.clock.advance(499);
  assert.equal(s.sockets.sockets.length, 1);
  s.clock.advance(1);
  assert.equal(s.sockets.sockets.length, 2);
});

test("a connection that stayed open for stableAfter starts the backoff over; a shorter one does not", () => {
  const s = setUp({ retryBase: 100, retryCap: 10_000, stableAfter: 5000, random: () => 0.5 });
  failAndRetry(s);
  failAndRetry(s);
  failAndRetry(s); // waits so far: 50, 100, 200
  s.sockets.last.accept();
  s.clock.advance(4999);
  failAndRetry(s); // open, but not long enough: 400
  s.sockets.last.accept();
  s.clock.advance(5000);
  failAndRetry(s); // a good connection: from the base again
  failAndRetry(s);
  assert.deepEqual(s.waits, [50, 100, 200, 400, 50, 100]);
});

test("the state events tell connecting, open, the drop with its code and the wait, then closed", () => {
  const s = setUp({ retryBase: 100, random: () => 0.5 });
  const states = [];
  s.client.on("state", (e) => states.push(e));
  assert.equal(s.client.state, "connecting");
  s.sockets.last.accept({ user: "grace" });
  assert.equal(s.client.state, "open");
  assert.equal(s.client.user, "grace");
  s.sockets.last.drop(1001, "server stopping");
  assert.equal(s.client.state, "connecting");
  s.client.close();
  assert.equal(s.client.state, "closed");
  assert.deepEqual(states, [
    { state: "open", attempt: 0 },
    { state: "connecting", attempt: 1, retryIn: 50, code: 1001, reason: "server stopping" },
    { state: "closed", attempt: 1 },
  ]);
  s.clock.advance(60_000);
  assert.equal(s.sockets.sockets.length, 1, "no retry after close()");
});

test("a WebSocket constructor that throws fails the attempt, which is retried", () => {
  const clock = new FakeClock();
  const sockets = fakeWebSockets();
  let refusals = 2;
  class Refusing extends sockets.WebSocket {
    constructor(url, protocol) {
      if (refusals-- > 0) throw new Error("blocked by policy");
      super(url, protocol);
    }
  }
  const client = connect("ws://127.0.0.1:1/rooms", { WebSocket: Refusing, clock, random: () => 0 });
  assert.equal(sockets.sockets.length, 0);
  clock.advance(0);
  clock.advance(0);
  assert.equal(sockets.sockets.length, 1);
  sockets.last.accept();
  assert.equal(client.state, "open");
});

test("the URL: http becomes ws, https becomes wss, and the subprotocol is echowall.v1", () => {
  const sockets = fakeWebSockets();
  const clock = new FakeClock();
  connect("http://127.0.0.1:8080/rooms?x=1", { WebSocket: sockets.WebSocket, clock });
  connect("https://example.test/rooms", { WebSocket: sockets.WebSocket, clock });
  assert.deepEqual(sockets.sockets.map((s) => [s.url, s.protocol]), [
    ["ws://127.0.0.1:8080/rooms?x=1", "echowall.v1"],
    ["wss://example.test/rooms", "echowall.v1"],
  ]);
  assert.throws(() => connect("ftp://example.test/", { WebSocket: sockets.WebSocket, clock }), SyntaxError);
  assert.throws(() => connect("ws://x/", { WebSocket: sockets.WebSocket, clock, retryBase: -1 }), RangeError);
});

test("the browser's online event cuts the wait short; after close() the client stops listening", () => {
  const listeners = new Map();
  globalThis.addEventListener = (type, listener) => listeners.set(type, listener);
  globalThis.removeEventListener = (type, listener) => {
    if (listeners.get(type) === listener) listeners.delete(type);
  };
  try {
    const s = setUp({ retryBase: 60_000, random: () => 0.5 });
    s.sockets.last.drop(1006);
    assert.deepEqual(s.waits, [15_000]);
    listeners.get("online")();
    assert.equal(s.sockets.sockets.length, 2, "retried at once");
    listeners.get("online")(); // no retry waiting: nothing to cut short
    assert.equal(s.sockets.sockets.length, 2);
    s.client.close();
    assert.equal(listeners.has("online"), false);
    const quiet = setUp({ retryWhenOnline: false });
    assert.equal(listeners.has("online"), false);
    quiet.client.close();
  } finally {
    delete globalThis.addEventListener;
    delete globalThis.removeEventListener;
  }
});
