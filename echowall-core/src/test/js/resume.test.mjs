// Subscriptions across reconnects: resubscribing from the last position, each message once and in
// order, a gap told with its reason, presence, and the answers that belong to an older subscribe.

import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeClock, FakeServer, fakeWebSockets, loadClient, settle } from "./fakes.mjs";

const { connect } = await loadClient();

/** A client served by a FakeServer: every socket it makes is accepted, and reconnects come at once. */
function served(options = {}) {
  const clock = new FakeClock();
  const sockets = fakeWebSockets();
  const server = new FakeServer(options.server);
  const client = connect("ws://127.0.0.1:1/rooms", {
    WebSocket: sockets.WebSocket, clock, random: () => 0, clientId: "c", ...options.client,
  });
  sockets.onCreate = (socket) => queueMicrotask(() => server.attach(socket));
  server.attach(sockets.last);
  /** Cuts the connection, lets the client reconnect, and waits for the replay. */
  async function reconnect() {
    server.cut(sockets.last);
    await settle();
    clock.advance(0);
    await settle();
  }
  return { clock, sockets, server, client, reconnect };
}

/** A raw client on a fake socket the test answers itself, for what a FakeServer would never send. */
function raw() {
  const clock = new FakeClock();
  const sockets = fakeWebSockets();
  const client = connect("ws://127.0.0.1:1/rooms", { WebSocket: sockets.WebSocket, clock, random: () => 0 });
  sockets.last.accept();
  return { clock, sockets, client };
}

test("after a reconnect every room is subscribed again from the last position seen, and the missed messages arrive once, in order", async () => {
  const { sockets, server, client, reconnect } = served();
  const lobby = [];
  const news = [];
  client.subscribe("lobby", (data) => lobby.push(data));
  client.subscribe("news", (data, message) => news.push([data, message.offset]));
  await settle();
  server.publish("lobby", "a");
  server.publish("lobby", "b");
  server.publish("news", "n1");
  await settle();
  server.cut(sockets.last);
  server.publish("lobby", "c"); // missed while disconnected
  server.publish("news", "n2");
  await reconnect();
  server.publish("lobby", "d");
  await settle();
  assert.deepEqual(sockets.last.sentOfType("subscribe"), [
    { type: "subscribe", room: "lobby", since: { epoch: "e1", offset: 2 } },
    { type: "subscribe", room: "news", since: { epoch: "e1", offset: 1 } },
  ]);
  assert.deepEqual(lobby, ["a", "b", "c", "d"]);
  assert.deepEqual(news, [["n1", 1], ["n2", 2]]);
});

test("messages the server sends again (a replay that overlaps what was seen) reach the app once", () => {
  const { sockets, client } = raw();
  const seen = [];
  client.subscribe("lobby", (data) => seen.push(data));
  const socket = sockets.last;
  socket.receive({ type: "subscribed", room: "lobby", epoch: "e", offset: 0, users: 1 });
  for (const offset of [1, 2, 3, 2, 3, 1, 4]) {
    socket.receive({ type: "message", room: "lobby", epoch: "e", offset, data: offset });
  }
  assert.deepEqual(seen, [1, 2, 3, 4]);
});

test("dedupe across a reconnect: a resume answered from an older position skips what the app saw", async () => {
  const { clock, sockets, client } = raw();
  const seen = [];
  client.subscribe("lobby", (data) => seen.push(data));
  sockets.last.receive({ type: "subscribed", room: "lobby", epoch: "e", offset: 0, users: 1 });
  for (const offset of [1, 2, 3]) sockets.last.receive({ type: "message", room: "lobby", epoch: "e", offset, data: offset });
  sockets.last.drop(1006);
  clock.advance(0);
  sockets.last.accept();
  assert.deepEqual(sockets.last.sentOfType("subscribe")[0].since, { epoch: "e", offset: 3 });
  sockets.last.receive({ type: "subscribed", room: "lobby", epoch: "e", offset: 1, users: 1, recovered: true });
  for (const offset of [2, 3, 4, 5]) sockets.last.receive({ type: "message", room: "lobby", epoch: "e", offset, data: offset });
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
});

test("messages that come before the subscribe's answer belong to no live subscription and are dropped", () => {
  const { sockets, client } = raw();
  const seen = [];
  client.subscribe("lobby", (data) => seen.push(data));
  sockets.last.receive({ type: "message", room: "lobby", epoch: "e", offset: 7, data: "early" });
  sockets.last.receive({ type: "message", room: "other", epoch: "e", offset: 1, data: "not subscribed" });
  sockets.last.receive({ type: "subscribed", room: "lobby", epoch: "e", offset: 7, users: 1 });
  sockets.last.receive({ type: "message", room: "lobby", epoch: "e", offset: 8, data: "live" });
  assert.deepEqual(seen, ["live"]);
});

test("a resume the history cannot serve tells onGap and the client's gap listeners why, then goes on from the new position", async () => {
  const { sockets, server, client, reconnect } = served({ server: { history: 2 } });
  const seen = [];
  const gaps = [];
  const clientGaps = [];
  client.on("gap", (e) => clientGaps.push(e));
  const subscription = client.subscribe("lobby", (data) => seen.push(data), { onGap: (e) => gaps.push(e) });
  await settle();
  server.publish("lobby", 1);
  await settle();
  server.cut(sockets.last);
  for (const n of [2, 3, 4]) server.publish("lobby", n); // 2 is trimmed from a history of two
  await reconnect();
  server.publish("lobby", 5);
  await settle();
  const gap = { room: "lobby", reason: "trimmed", since: { epoch: "e1", offset: 1 }, position: { epoch: "e1", offset: 4 } };
  assert.deepEqual(gaps, [gap]);
  assert.deepEqual(clientGaps, [gap]);
  assert.deepEqual(seen, [1, 5]);
  assert.deepEqual(subscription.position, { epoch: "e1", offset: 5 });
});

test("a new epoch (the history was lost) is a gap with reason epoch, and its low offsets are delivered", async () => {
  const { server, client, clock } = served();
  const seen = [];
  const gaps = [];
  client.subscribe("lobby", (data, m) => seen.push(`${m.epoch}/${m.offset}`), { onGap: (e) => gaps.push(e.reason) });
  await settle();
  for (let n = 0; n < 5; n++) server.publish("lobby", n);
  await settle();
  server.restart();
  await settle();
  clock.advance(0);
  await settle();
  server.publish("lobby", "after");
  await settle();
  assert.deepEqual(gaps, ["epoch"]);
  assert.deepEqual(seen, ["e1/1", "e1/2", "e1/3", "e1/4", "e1/5", "e2/1"]);
});

test("many reconnects while the room keeps publishing: the app sees every message once, in order", async () => {
  const { sockets, server, client, reconnect } = served({ server: { history: 1000 } });
  const seen = [];
  client.subscribe("feed", (data) => seen.push(data));
  await settle();
  let n = 0;
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 5; i++) server.publish("feed", n++);
    if (round % 2 === 0) await settle(); // half the time the client hears them before the cut
    server.cut(sockets.last);
    for (let i = 0; i < 3; i++) server.publish("feed", n++);
    await reconnect();
  }
  assert.deepEqual(seen, Array.from({ length: n }, (_, i) => i));
  assert.equal(sockets.sockets.length, 21);
});

test("a second subscribed with recovered false, while replaying, is a gap; the stream goes on from its position", () => {
  const { clock, sockets, client } = raw();
  const seen = [];
  const gaps = [];
  client.subscribe("lobby", (data) => seen.push(data), { onGap: (e) => gaps.push(e) });
  sockets.last.receive({ type: "subscribed", room: "lobby", epoch: "e", offset: 0, users: 1 });
  sockets.last.receive({ type: "message", room: "lobby", epoch: "e", offset: 1, data: 1 });
  sockets.last.drop(1006);
  clock.advance(0);
  sockets.last.accept();
  sockets.last.receive({ type: "subscribed", room: "lobby", epoch: "e", offset: 1, users: 1, recovered: true });
  sockets.last.receive({ type: "message", room: "lobby", epoch: "e", offset: 2, data: 2 });
  // The history turned out shorter than it looked when the subscribe was answered.
  sockets.last.receive({ type: "subscribed", room: "lobby", epoch: "e", offset: 9, users: 1, recovered: false, reason: "trimmed" });
  sockets.last.receive({ type: "message", room: "lobby", epoch: "e", offset: 10, data: 10 });
  sockets.last.receive({ type: "subscribed", room: "lobby", epoch: "e", offset: 4, users: 1 }); // says nothing new
  sockets.last.receive({ type: "message", room: "lobby", epoch: "e", offset: 11, data: 11 });
  assert.deepEqual(seen, [1, 2, 10, 11]);
  assert.deepEqual(gaps, [{ room: "lobby", reason: "trimmed", since: { epoch: "e", offset: 2 }, position: { epoch: "e", offset: 9 } }]);
});

test("subscribe with since resumes from a position kept elsewhere", async () => {
  const { server, client, sockets } = served();
  for (let n = 1; n <= 4; n++) server.publish("lobby", n);
  const seen = [];
  client.subscribe("lobby", (data) => seen.push(data), { since: { epoch: "e1", offset: 2 } });
  await settle();
  assert.deepEqual(sockets.last.sentOfType("subscribe")[0].since, { epoch: "e1", offset: 2 });
  assert.deepEqual(seen, [3, 4]);
});

test("several subscriptions to one room share one server subscription; the last unsubscribe ends it", async () => {
  const { server, client, sockets } = served();
  const a = [];
  const b = [];
  const first = client.subscribe("lobby", (d) => a.push(d));
  const second = client.subscribe("lobby", (d) => b.push(d));
  await settle();
  server.publish("lobby", 1);
  await settle();
  first.unsubscribe();
  server.publish("lobby", 2);
  await settle();
  assert.equal(first.active, false);
  assert.equal(sockets.last.sentOfType("unsubscribe").length, 0);
  second.unsubscribe();
  second.unsubscribe();
  await settle();
  server.publish("lobby", 3);
  await settle();
  assert.deepEqual(a, [1]);
  assert.deepEqual(b, [1, 2]);
  assert.equal(sockets.last.sentOfType("subscribe").length, 1);
  assert.deepEqual(sockets.last.sentOfType("unsubscribe"), [{ type: "unsubscribe", room: "lobby" }]);
});

test("subscribing again while the unsubscribe is on its way ignores the old subscription's answers", () => {
  const { sockets, client } = raw();
  const socket = sockets.last;
  const seen = [];
  client.subscribe("lobby", () => {}).unsubscribe(); // before its subscribed arrived
  client.subscribe("lobby", (d) => seen.push(d));
  // The server answers in order: the first subscribe, its messages, the unsubscribe, the second subscribe.
  socket.receive({ type: "subscribed", room: "lobby", epoch: "e", offset: 10, users: 1 });
  socket.receive({ type: "message", room: "lobby", epoch: "e", offset: 11, data: "old" });
  socket.receive({ type: "unsubscribed", room: "lobby" });
  socket.receive({ type: "message", room: "lobby", epoch: "e", offset: 11, data: "stray" });
  socket.receive({ type: "subscribed", room: "lobby", epoch: "e", offset: 11, users: 1 });
  socket.receive({ type: "message", room: "lobby", epoch: "e", offset: 12, data: "new" });
  assert.deepEqual(seen, ["new"]);
  assert.deepEqual(socket.sent.map((m) => m.type), ["subscribe", "unsubscribe", "subscribe"]);
});

test("a subscribe the server refuses ends the subscription with onError and is not made again after a reconnect", () => {
  const { clock, sockets, client } = raw();
  const errors = [];
  const clientErrors = [];
  client.on("error", (e) => clientErrors.push(e.code));
  const subscription = client.subscribe("vip", () => {}, { onError: (e) => errors.push([e.code, e.room]) });
  sockets.last.receive({ type: "error", code: "forbidden", message: "members only", room: "vip" });
  assert.deepEqual(errors, [["forbidden", "vip"]]);
  assert.deepEqual(clientErrors, ["forbidden"]);
  assert.equal(subscription.active, false);
  sockets.last.drop(1006);
  clock.advance(0);
  sockets.last.accept();
  assert.deepEqual(sockets.last.sentOfType("subscribe"), []);
});

test("presence reaches the subscription and the client's listeners, with the count of users present", () => {
  const { sockets, client } = raw();
  const perSubscription = [];
  const perClient = [];
  client.on("presence", (e) => perClient.push(e));
  const subscription = client.subscribe("lobby", () => {}, { onPresence: (e) => perSubscription.push(e) });
  sockets.last.receive({ type: "subscribed", room: "lobby", epoch: "e", offset: 0, users: 2 });
  assert.equal(subscription.users, 2);
  sockets.last.receive({ type: "presence", room: "lobby", user: "grace", joined: true });
  sockets.last.receive({ type: "presence", room: "lobby", user: "ada", joined: false });
  sockets.last.receive({ type: "presence", room: "elsewhere", user: "bob", joined: true });
  const expected = [
    { room: "lobby", user: "grace", joined: true, users: 3 },
    { room: "lobby", user: "ada", joined: false, users: 2 },
  ];
  assert.deepEqual(perSubscription, expected);
  assert.deepEqual(perClient, expected);
});

test("an app callback that throws does not stop the others or the client", () => {
  const { sockets, client } = raw();
  const reported = [];
  const original = globalThis.reportError;
  globalThis.reportError = (e) => reported.push(e.message);
  try {
    const seen = [];
    client.subscribe("lobby", () => {
      throw new Error("app bug");
    });
    client.subscribe("lobby", (d) => seen.push(d));
    sockets.last.receive({ type: "subscribed", room: "lobby", epoch: "e", offset: 0, users: 1 });
    sockets.last.receive({ type: "message", room: "lobby", epoch: "e", offset: 1, data: 1 });
    sockets.last.receive({ type: "message", room: "lobby", epoch: "e", offset: 2, data: 2 });
    assert.deepEqual(seen, [1, 2]);
    assert.deepEqual(reported, ["app bug", "app bug"]);
  } finally {
    globalThis.reportError = original;
  }
});

test("a frame that is not a protocol message is reported as bad-message and the connection goes on", () => {
  const { sockets, client } = raw();
  const errors = [];
  client.on("error", (e) => errors.push(e.code));
  sockets.last.receive("not json");
  sockets.last.receive("[1,2]");
  sockets.last.receive({ type: "from-a-later-version" });
  assert.deepEqual(errors, ["bad-message", "bad-message"]);
  assert.equal(client.state, "open");
});

test("onSubscribed tells when the server has the subscription live: first, and again after every reconnect", async () => {
  const { server, client, reconnect } = served();
  const live = [];
  client.subscribe("lobby", () => {}, { onSubscribed: (event) => live.push(event) });
  await settle();
  server.publish("lobby", "a");
  await settle();
  await reconnect();
  assert.deepEqual(live, [
    { room: "lobby", position: { epoch: "e1", offset: 0 }, users: 1 },
    { room: "lobby", position: { epoch: "e1", offset: 1 }, users: 1 },
  ]);
});
