// The heartbeat: a ping after the server's heartbeat of silence, a dead link dropped when nothing
// answers it, and a connection attempt given up when no welcome comes.

import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeClock, fakeWebSockets, loadClient } from "./fakes.mjs";

const { connect } = await loadClient();

function open(options = {}) {
  const clock = new FakeClock();
  const sockets = fakeWebSockets();
  const client = connect("ws://127.0.0.1:1/rooms", { WebSocket: sockets.WebSocket, clock, random: () => 0, ...options });
  const states = [];
  client.on("state", (e) => states.push(e));
  sockets.last.accept({ heartbeat: 1000 });
  return { clock, sockets, client, states, socket: sockets.last };
}

const pings = (socket) => socket.sentOfType("ping").length;

test("no ping while the server keeps talking; one after the server's heartbeat of silence", () => {
  const { clock, socket } = open();
  for (let i = 0; i < 10; i++) {
    clock.advance(900);
    socket.receive({ type: "pong" }); // anything heard counts
  }
  assert.equal(pings(socket), 0);
  clock.advance(999);
  assert.equal(pings(socket), 0);
  clock.advance(1);
  assert.equal(pings(socket), 1);
});

test("an answer to the ping keeps the connection, and the next ping comes after the next silence", () => {
  const { clock, client, socket } = open({ heartbeatTimeout: 500 });
  clock.advance(1000);
  assert.equal(pings(socket), 1);
  clock.advance(400);
  socket.receive({ type: "pong" });
  clock.advance(999);
  assert.equal(pings(socket), 1);
  clock.advance(1);
  assert.equal(pings(socket), 2);
  clock.advance(499);
  socket.receive({ type: "message", room: "x", epoch: "e", offset: 1, data: null }); // anything answers
  clock.advance(1000);
  assert.equal(pings(socket), 3);
  assert.equal(client.state, "open");
  assert.equal(socket.closedByClient, null);
});

test("no answer within heartbeatTimeout: the client drops the socket and connects again", () => {
  const { clock, sockets, client, states, socket } = open({ heartbeatTimeout: 500 });
  clock.advance(1000);
  clock.advance(499);
  assert.equal(client.state, "open");
  clock.advance(1);
  assert.equal(client.state, "connecting");
  assert.equal(socket.closedByClient.code, 4000);
  assert.match(socket.closedByClient.reason, /no answer to a ping within 500 ms/);
  assert.deepEqual(states.at(-1), { state: "connecting", attempt: 1, retryIn: 0, code: 1006, reason: "no answer to a ping within 500 ms" });
  clock.advance(0);
  assert.equal(sockets.sockets.length, 2);
  // A late close event of the abandoned socket changes nothing.
  socket.drop(1006);
  assert.equal(sockets.sockets.length, 2);
  sockets.last.accept();
  assert.equal(client.state, "open");
});

test("a heartbeat of 0 in the welcome means no pings", () => {
  const clock = new FakeClock();
  const sockets = fakeWebSockets();
  connect("ws://127.0.0.1:1/rooms", { WebSocket: sockets.WebSocket, clock });
  sockets.last.accept({ heartbeat: 0 });
  clock.advance(3_600_000);
  assert.equal(pings(sockets.last), 0);
});

test("no welcome within connectTimeout: the attempt is given up and retried", () => {
  const clock = new FakeClock();
  const sockets = fakeWebSockets();
  const client = connect("ws://127.0.0.1:1/rooms", { WebSocket: sockets.WebSocket, clock, random: () => 0, connectTimeout: 2000 });
  const first = sockets.last;
  clock.advance(1999);
  assert.equal(sockets.sockets.length, 1);
  clock.advance(1);
  assert.match(first.closedByClient.reason, /no welcome within 2000 ms/);
  assert.equal(sockets.sockets.length, 2);
  sockets.last.accept({ heartbeat: 0 });
  clock.advance(60_000);
  assert.equal(client.state, "open", "the welcome stops the connect timeout");
});
