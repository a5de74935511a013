// The transport: WebSocket first, the event stream (Server-Sent Events and POSTs) when WebSockets
// cannot open, and the same resume, order and publish guarantees on either.

import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeClock, FakeServer, fakeEventStreams, fakeWebSockets, loadClient, serveStream, settle } from "./fakes.mjs";

const { connect, DEFAULTS } = await loadClient();

function setUp(options = {}) {
  const clock = new FakeClock();
  const sockets = fakeWebSockets();
  const streams = fakeEventStreams();
  const client = connect("ws://127.0.0.1:1/rooms?team=a", {
    WebSocket: sockets.WebSocket, EventSource: streams.EventSource, fetch: streams.fetch,
    clock, random: () => 0, clientId: "c", ...options,
  });
  const states = [];
  client.on("state", (e) => states.push(e));
  return { clock, sockets, streams, client, states };
}

/** The current WebSocket attempt is refused, and the retry's wait (0: random is 0) passes. */
function refuseWebSocket({ sockets, clock }) {
  sockets.last.drop(1006);
  clock.advance(0);
}

test("auto is the default, and falls back after two WebSocket attempts in a row that never got a welcome", () => {
  assert.equal(DEFAULTS.transport, "auto");
  assert.equal(DEFAULTS.fallbackAfter, 2);
  const s = setUp();
  assert.equal(s.client.transport, "websocket");
  refuseWebSocket(s);
  assert.equal(s.sockets.sockets.length, 2, "one failure is retried on a WebSocket");
  assert.equal(s.streams.streams.length, 0);
  s.sockets.last.drop(1006);
  assert.equal(s.sockets.sockets.length, 2, "the second failure makes no WebSocket");
  assert.equal(s.streams.streams.length, 1, "and opens the event stream at once, with no wait");
  assert.equal(s.streams.last.url, "http://127.0.0.1:1/rooms?team=a");
  assert.equal(s.client.transport, "sse");
  assert.deepEqual(s.states.at(-1), { state: "connecting", attempt: 1, retryIn: 0, code: 1006, reason: "" });
  s.streams.last.accept();
  assert.equal(s.client.state, "open");
  assert.deepEqual(s.states.at(-1), { state: "open", attempt: 0 });
});

test("a WebSocket that opens but never welcomes counts as a failure once connectTimeout passes", () => {
  const s = setUp({ connectTimeout: 1000 });
  for (let i = 0; i < 2; i++) {
    s.sockets.last.readyState = 1;
    s.sockets.last.onopen?.({}); // the upgrade went through, then nothing: a proxy that buffers
    s.clock.advance(1000);
    s.clock.advance(0);
  }
  assert.equal(s.streams.streams.length, 1);
  assert.equal(s.client.transport, "sse");
});

test("a welcome between failures starts the count over: failures must be in a row", () => {
  const s = setUp();
  refuseWebSocket(s);
  s.sockets.last.accept();
  s.sockets.last.drop(1006); // a good connection dropped: not a failure to open
  s.clock.advance(0);
  refuseWebSocket(s);
  assert.equal(s.streams.streams.length, 0);
  assert.equal(s.client.transport, "websocket");
  refuseWebSocket(s);
  assert.equal(s.streams.streams.length, 1);
});

test("transport websocket never falls back, and neither does auto where there is no EventSource", () => {
  const pinned = setUp({ transport: "websocket" });
  for (let i = 0; i < 5; i++) refuseWebSocket(pinned);
  assert.equal(pinned.streams.streams.length, 0);
  assert.equal(pinned.sockets.sockets.length, 6);

  const clock = new FakeClock();
  const sockets = fakeWebSockets();
  const client = connect("ws://127.0.0.1:1/rooms", { WebSocket: sockets.WebSocket, clock, random: () => 0 });
  for (let i = 0; i < 5; i++) refuseWebSocket({ sockets, clock });
  assert.equal(sockets.sockets.length, 6);
  assert.equal(client.transport, "websocket");
});

test("transport sse uses the event stream from the start, and needs no WebSocket", () => {
  const clock = new FakeClock();
  const streams = fakeEventStreams();
  const client = connect("wss://example.com/rooms", {
    transport: "sse", EventSource: streams.EventSource, fetch: streams.fetch, WebSocket: null, clock,
  });
  assert.equal(client.transport, "sse");
  assert.equal(streams.last.url, "https://example.com/rooms");
  assert.throws(() => connect("/rooms", { transport: "sse", EventSource: null, fetch: null, clock }), TypeError);
  assert.throws(() => connect("ws://h/rooms", { transport: "carrier-pigeon", clock }), RangeError);
});

test("requests go as POSTs to the session, one in flight at a time, those that waited together and in order", async () => {
  const s = setUp({ transport: "sse" });
  const answers = [];
  s.streams.answer = (post) => new Promise((resolve) => answers.push(() => resolve({ ok: true, status: 204 })));
  s.client.subscribe("lobby", () => {});
  s.streams.last.accept({}, "tok");
  const first = s.client.publish("lobby", 1);
  s.client.publish("lobby", 2);
  s.client.publish("lobby", 3);
  assert.equal(s.streams.posts.length, 1, "one POST in flight");
  const post = s.streams.posts[0];
  assert.equal(post.url, "http://127.0.0.1:1/rooms?team=a&session=tok");
  assert.equal(post.method, "POST");
  assert.equal(post.headers["Content-Type"], "application/json");
  assert.deepEqual(post.body.split("\n").map((l) => JSON.parse(l).type), ["subscribe"]);
  answers.shift()();
  await settle();
  assert.equal(s.streams.posts.length, 2);
  assert.deepEqual(s.streams.posts[1].body.split("\n").map((l) => JSON.parse(l).data), [1, 2, 3]);
  s.streams.last.receive({ type: "ack", id: "c:1", room: "lobby", epoch: "e", offset: 1 });
  assert.equal((await first).offset, 1);
});

test("a POST refused (the session ended) drops the stream; a new one resubscribes from the last position", async () => {
  const s = setUp({ transport: "sse" });
  const server = new FakeServer();
  s.streams.onCreate = (stream) => queueMicrotask(() => serveStream(server, stream));
  serveStream(server, s.streams.last);
  const seen = [];
  s.client.subscribe("lobby", (data) => seen.push(data));
  await settle();
  server.publish("lobby", "a");
  await settle();
  const first = s.streams.last;
  first.session = "gone"; // the server forgot it: the next POST is answered 404
  const publish = s.client.publish("lobby", "mine");
  await settle();
  assert.equal(first.closed, true);
  server.publish("lobby", "b");
  s.clock.advance(0);
  await settle();
  await settle();
  assert.equal(s.streams.streams.length, 2);
  const resubscribe = s.streams.posts.map((p) => p.body.split("\n").map((l) => JSON.parse(l)))
    .flat().filter((m) => m.type === "subscribe").at(-1);
  assert.deepEqual(resubscribe.since, { epoch: "e1", offset: 1 });
  assert.deepEqual((await publish).offset, 3);
  await settle();
  assert.deepEqual(seen, ["a", "b", "mine"]);
});

test("falling back keeps positions, dedupe, the offline queue and publish order across transports", async () => {
  const s = setUp();
  const server = new FakeServer();
  server.attach(s.sockets.last);
  const seen = [];
  s.client.subscribe("lobby", (data, m) => seen.push([data, m.offset]));
  await settle();
  server.publish("lobby", "a");
  server.publish("lobby", "b");
  await settle();
  // WebSockets stop working; meanwhile the room goes on, and the page publishes.
  server.cut(s.sockets.last);
  await settle();
  server.publish("lobby", "c");
  const mine = [s.client.publish("lobby", "m1"), s.client.publish("lobby", "m2")];
  s.clock.advance(0);
  refuseWebSocket(s);
  refuseWebSocket(s);
  assert.equal(s.client.transport, "sse");
  serveStream(server, s.streams.last);
  await settle();
  await settle();
  const positions = await Promise.all(mine);
  assert.deepEqual(positions.map((p) => p.offset), [4, 5]);
  await settle();
  assert.deepEqual(seen, [["a", 1], ["b", 2], ["c", 3], ["m1", 4], ["m2", 5]]);
  // The server's close event ends the stream as a close frame ends a WebSocket.
  s.streams.last.end(1001, "going away");
  assert.equal(s.states.at(-1).code, 1001);
  assert.equal(s.client.transport, "sse");
});

test("an event stream that fails before its welcome too sends auto back to WebSockets: the server was down, not WebSockets", () => {
  const s = setUp();
  refuseWebSocket(s);
  s.sockets.last.drop(1006); // the second failure: the event stream, at once
  assert.equal(s.client.transport, "sse");
  s.streams.last.drop(); // the stream fails before its welcome as well: the server is down
  assert.equal(s.client.transport, "websocket", "the next attempt is a WebSocket again");
  assert.equal(s.sockets.sockets.length, 2, "after the backoff wait, not at once");
  s.clock.advance(0);
  assert.equal(s.sockets.sockets.length, 3);
  s.sockets.last.accept();
  assert.equal(s.client.state, "open");
  assert.equal(s.client.transport, "websocket", "the restarted server takes WebSockets: the page stays on them");
});

test("behind a proxy that refuses WebSockets, a page sent back to them falls back again after fallbackAfter attempts", () => {
  const s = setUp();
  refuseWebSocket(s);
  s.sockets.last.drop(1006);
  s.streams.last.drop(); // the server was down
  s.clock.advance(0);
  refuseWebSocket(s); // up again, but the proxy still refuses upgrades
  s.sockets.last.drop(1006);
  assert.equal(s.client.transport, "sse");
  assert.equal(s.streams.streams.length, 2);
  s.streams.last.accept();
  assert.equal(s.client.state, "open");
  s.streams.last.drop(); // a stream that worked and then dropped: not a sign against the event stream
  assert.equal(s.client.transport, "sse");
});
