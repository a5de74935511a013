// Publishing: the ack promise, the offline queue (order, bound, rejection), retries with the same id.

import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeClock, FakeServer, fakeWebSockets, loadClient, settle } from "./fakes.mjs";

const { connect, EchowallError } = await loadClient();

function setUp(options = {}) {
  const clock = new FakeClock();
  const sockets = fakeWebSockets();
  const client = connect("ws://127.0.0.1:1/rooms", {
    WebSocket: sockets.WebSocket, clock, random: () => 0, clientId: "c7", ...options,
  });
  return { clock, sockets, client };
}

/** Records how each promise settles, so a test can look without awaiting the ones still pending. */
function track(promise) {
  const outcome = { state: "pending" };
  promise.then((value) => Object.assign(outcome, { state: "resolved", value }),
    (error) => Object.assign(outcome, { state: "rejected", error }));
  return outcome;
}

test("a publish resolves with the position in its ack", async () => {
  const { sockets, client } = setUp();
  sockets.last.accept();
  const published = client.publish("lobby", { text: "hi" });
  assert.deepEqual(sockets.last.sent, [{ type: "publish", room: "lobby", id: "c7:1", data: { text: "hi" } }]);
  sockets.last.receive({ type: "ack", id: "c7:1", room: "lobby", epoch: "9f2c", offset: 42 });
  assert.deepEqual(await published, { id: "c7:1", room: "lobby", epoch: "9f2c", offset: 42 });
});

test("a publish the server refuses rejects with its code and message; other publishes go on", async () => {
  const { sockets, client } = setUp();
  sockets.last.accept();
  const refused = client.publish("vip", 1);
  const accepted = client.publish("lobby", 2);
  sockets.last.receive({ type: "error", code: "forbidden", message: "not for you", id: "c7:1", room: "vip" });
  sockets.last.receive({ type: "ack", id: "c7:2", room: "lobby", epoch: "e", offset: 1 });
  await assert.rejects(refused, (error) => {
    assert.ok(error instanceof EchowallError);
    assert.deepEqual([error.code, error.message, error.id, error.room], ["forbidden", "not for you", "c7:1", "vip"]);
    return true;
  });
  assert.equal((await accepted).offset, 1);
});

test("ids are the client id and a counter; the default client id is random per client", () => {
  const clock = new FakeClock();
  const sockets = fakeWebSockets();
  const a = connect("ws://127.0.0.1:1/", { WebSocket: sockets.WebSocket, clock });
  const b = connect("ws://127.0.0.1:1/", { WebSocket: sockets.WebSocket, clock });
  assert.notEqual(a.id, b.id);
  assert.match(a.id, /^[0-9a-f-]{32,36}$/);
  // The server takes publish ids of at most 128 characters: a client id leaves room for the counter.
  assert.throws(() => connect("ws://127.0.0.1:1/", { WebSocket: sockets.WebSocket, clock, clientId: "x".repeat(101) }), RangeError);
  sockets.sockets[0].accept();
  a.publish("r", 1);
  a.publish("r", 2);
  assert.deepEqual(sockets.sockets[0].sent.map((m) => m.id), [`${a.id}:1`, `${a.id}:2`]);
});

test("publishes made before the welcome wait, then go in order, after the subscriptions", () => {
  const { sockets, client } = setUp();
  client.publish("lobby", "one");
  client.subscribe("lobby", () => {});
  client.publish("lobby", "two");
  assert.deepEqual(sockets.last.sent, []);
  sockets.last.accept();
  assert.deepEqual(sockets.last.sent.map((m) => [m.type, m.data]), [
    ["subscribe", undefined], ["publish", "one"], ["publish", "two"],
  ]);
});

test("a publish made by an open listener goes after the ones that waited", () => {
  const { sockets, client } = setUp();
  client.publish("lobby", "waited");
  client.on("state", (e) => {
    if (e.state === "open") client.publish("lobby", "on open");
  });
  sockets.last.accept();
  assert.deepEqual(sockets.last.sent.map((m) => m.data), ["waited", "on open"]);
});

test("over queueLimit the oldest waiting publishes are rejected with queue-full, the rest are sent", async () => {
  const { sockets, client } = setUp({ queueLimit: 3 });
  const outcomes = [1, 2, 3, 4, 5].map((n) => track(client.publish("lobby", n)));
  await settle();
  assert.deepEqual(outcomes.map((o) => o.state), ["rejected", "rejected", "pending", "pending", "pending"]);
  assert.equal(outcomes[0].error.code, "queue-full");
  assert.equal(outcomes[0].error.id, "c7:1");
  assert.match(outcomes[0].error.message, /more than 3 publishes waited/);
  sockets.last.accept();
  assert.deepEqual(sockets.last.sent.map((m) => m.data), [3, 4, 5]);
});

test("the bound applies while disconnected only: an open client sends at once, however many", () => {
  const { sockets, client } = setUp({ queueLimit: 2 });
  sockets.last.accept();
  const outcomes = [1, 2, 3, 4, 5].map((n) => track(client.publish("lobby", n)));
  assert.equal(sockets.last.sent.length, 5);
  assert.ok(outcomes.every((o) => o.state === "pending"));
});

test("publishes in flight when the connection drops count toward the bound and go again, with the same ids", async () => {
  const { clock, sockets, client } = setUp({ queueLimit: 3 });
  sockets.last.accept();
  const inFlight = [1, 2].map((n) => track(client.publish("lobby", n)));
  sockets.last.drop(1006);
  const offline = [3, 4].map((n) => track(client.publish("lobby", n)));
  await settle();
  assert.deepEqual([...inFlight, ...offline].map((o) => o.state), ["rejected", "pending", "pending", "pending"]);
  assert.match(inFlight[0].error.message, /may have applied it/);
  clock.advance(0);
  sockets.last.accept();
  assert.deepEqual(sockets.last.sent.map((m) => [m.id, m.data]), [["c7:2", 2], ["c7:3", 3], ["c7:4", 4]]);
});

test("a publish sent twice across a reconnect is applied once and resolves once", async () => {
  const { clock, sockets, client } = setUp();
  const server = new FakeServer();
  sockets.onCreate = (socket) => queueMicrotask(() => server.attach(socket));
  server.attach(sockets.last);
  const received = [];
  client.subscribe("lobby", (data) => received.push(data));
  await settle();
  // The server applies the publish, but the connection drops before its ack arrives.
  const first = sockets.last;
  const original = first.send;
  first.send = (data) => {
    original(data);
    server.cut(first);
  };
  const published = client.publish("lobby", "once");
  await settle();
  assert.equal(client.state, "connecting");
  clock.advance(0);
  await settle();
  assert.deepEqual(sockets.last.sentOfType("publish").map((m) => m.id), ["c7:1"]);
  assert.deepEqual(await published, { id: "c7:1", room: "lobby", epoch: "e1", offset: 1 });
  assert.deepEqual(server.room("lobby").messages.map((m) => m.data), ["once"]);
  assert.deepEqual(received, ["once"]);
});

test("close() rejects every publish not yet acknowledged with closed; publishing after close rejects too", async () => {
  const { sockets, client } = setUp();
  sockets.last.accept();
  const sent = client.publish("lobby", 1);
  const socket = sockets.last;
  client.close();
  assert.deepEqual(socket.closedByClient, { code: 1000, reason: "client closed" });
  await assert.rejects(sent, { name: "EchowallError", code: "closed" });
  await assert.rejects(client.publish("lobby", 2), { code: "closed" });
  assert.throws(() => client.subscribe("lobby", () => {}), { code: "closed" });
});

test("what cannot be published is rejected at once, never sent", async () => {
  const { sockets, client } = setUp();
  sockets.last.accept();
  await assert.rejects(client.publish("lobby", undefined), TypeError);
  await assert.rejects(client.publish("", 1), TypeError);
  await assert.rejects(client.publish("r".repeat(257), 1), /a room is a string of 1 to 256 characters/);
  const cycle = {};
  cycle.self = cycle;
  await assert.rejects(client.publish("lobby", cycle), TypeError);
  assert.deepEqual(sockets.last.sent, []);
});

test("the data is encoded when published: changing the object afterwards changes nothing", () => {
  const { sockets, client } = setUp();
  const data = { n: 1 };
  client.publish("lobby", data);
  data.n = 2;
  sockets.last.accept();
  assert.deepEqual(sockets.last.sent[0].data, { n: 1 });
});
