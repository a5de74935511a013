// Test doubles for the client's unit tests: a clock whose time moves only when a test says so, a fake
// of the browser's WebSocket, and a small fake of a rooms endpoint that speaks echowall.v1 over it.

import { readFileSync } from "node:fs";

/**
 * Loads echowall.js as an ES module. It lives among the jar's resources, where no package.json says
 * "module", so it is imported from its text rather than its path.
 */
export async function loadClient() {
  const url = new URL("../../main/resources/META-INF/echowall/echowall.js", import.meta.url);
  const source = readFileSync(url, "utf8") + "\n//# sourceURL=echowall.js\n";
  return import("data:text/javascript;charset=utf-8," + encodeURIComponent(source));
}

/** A clock for the client's `clock` option: timers fire only inside advance(), in time order. */
export class FakeClock {
  #now = 0;
  #next = 1;
  #timers = new Map();

  now() {
    return this.#now;
  }

  setTimeout(callback, ms) {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(id) {
    this.#timers.delete(id);
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way, at its own time. */
  advance(ms) {
    const end = this.#now + ms;
    for (;;) {
      let due = null;
      for (const [id, timer] of this.#timers) {
        if (timer.at <= end && (due === null || timer.at < due.timer.at)) due = { id, timer };
      }
      if (due === null) break;
      this.#timers.delete(due.id);
      this.#now = due.timer.at;
      due.timer.callback();
    }
    this.#now = end;
  }

  /** How long until the next timer fires, or null when none is set. */
  nextDue() {
    let at = null;
    for (const timer of this.#timers.values()) if (at === null || timer.at < at) at = timer.at;
    return at === null ? null : at - this.#now;
  }
}

/**
 * A WebSocket constructor for the client's `WebSocket` option. Every socket made is kept in
 * `sockets`, and `onCreate` (when set) sees each one as it is made, as a server accepting it would.
 */
export function fakeWebSockets() {
  const made = {
    sockets: [],
    onCreate: null,
    get last() {
      return this.sockets[this.sockets.length - 1];
    },
  };

  class FakeWebSocket {
    constructor(url, protocol) {
      this.url = url;
      this.protocol = protocol;
      this.readyState = 0;
      /** What the client sent, parsed. */
      this.sent = [];
      /** The client's close, when it closed this socket. */
      this.closedByClient = null;
      this.onopen = this.onmessage = this.onclose = this.onerror = null;
      made.sockets.push(this);
      if (made.onCreate) made.onCreate(this);
    }

    send(data) {
      if (this.readyState !== 1) throw new Error("InvalidStateError: the socket is not open");
      this.sent.push(JSON.parse(data));
    }

    close(code, reason) {
      this.closedByClient = { code, reason };
      this.readyState = 2;
    }

    // ---- what the other side does ----

    /** The upgrade succeeds and the server welcomes the client. */
    accept(welcome = {}) {
      this.readyState = 1;
      this.onopen?.({});
      this.receive({ type: "welcome", version: 1, user: "ada", heartbeat: 25_000, ...welcome });
    }

    /** A frame from the server: an object is sent as its JSON, a string as it is. */
    receive(message) {
      this.onmessage?.({ data: typeof message === "string" ? message : JSON.stringify(message) });
    }

    /** The connection ends (1006 when the network failed). */
    drop(code = 1006, reason = "") {
      this.readyState = 3;
      this.onclose?.({ code, reason, wasClean: code !== 1006 });
    }

    /** What the client sent of one type. */
    sentOfType(type) {
      return this.sent.filter((m) => m.type === type);
    }
  }

  made.WebSocket = FakeWebSocket;
  return made;
}

/**
 * A rooms endpoint that speaks echowall.v1 to fake sockets, with a bounded history per room and
 * publish ids applied once, as the protocol says a server does. `attach(socket)` serves one socket;
 * `publish(room, data)` is the app publishing; `restart()` loses every history (a new epoch).
 */
export class FakeServer {
  #epoch = 1;
  #history;
  rooms = new Map();
  seen = new Map(); // publish id -> position
  sockets = new Set();

  constructor({ history = 100 } = {}) {
    this.#history = history;
  }

  room(name) {
    let room = this.rooms.get(name);
    if (!room) {
      room = { epoch: `e${this.#epoch}`, offset: 0, messages: [], members: new Set() };
      this.rooms.set(name, room);
    }
    return room;
  }

  attach(socket, welcome = {}) {
    const server = this;
    this.sockets.add(socket);
    const send = socket.send.bind(socket);
    socket.send = (data) => {
      send(data);
      server.#handle(socket, JSON.parse(data));
    };
    socket.accept(welcome);
  }

  /** The connection is cut: nothing more reaches the client, which then sees 1006. */
  cut(socket) {
    this.sockets.delete(socket);
    for (const room of this.rooms.values()) room.members.delete(socket);
    queueMicrotask(() => socket.drop(1006, ""));
  }

  publish(name, data) {
    const room = this.room(name);
    room.offset++;
    const message = { type: "message", room: name, epoch: room.epoch, offset: room.offset, data };
    room.messages.push(message);
    if (room.messages.length > this.#history) room.messages.shift();
    for (const member of room.members) this.#deliver(member, message);
    return { epoch: room.epoch, offset: room.offset };
  }

  restart() {
    this.#epoch++;
    for (const socket of [...this.sockets]) this.cut(socket);
    this.rooms.clear();
    this.seen.clear();
  }

  /** Answers arrive later, in order, as over a network: never inside the client's own send. */
  #deliver(socket, message) {
    queueMicrotask(() => {
      if (socket.readyState === 1 && this.sockets.has(socket)) socket.receive(message);
    });
  }

  #handle(socket, request) {
    switch (request.type) {
      case "subscribe": {
        const room = this.room(request.room);
        const answer = { type: "subscribed", room: request.room, epoch: room.epoch, offset: room.offset, users: 1 };
        let replay = [];
        if (request.since) {
          const { epoch, offset } = request.since;
          const oldest = room.messages.length ? room.messages[0].offset : room.offset + 1;
          if (epoch !== room.epoch) {
            Object.assign(answer, { recovered: false, reason: "epoch" });
          } else if (offset + 1 < oldest) {
            Object.assign(answer, { recovered: false, reason: "trimmed" });
          } else {
            Object.assign(answer, { offset, recovered: true });
            replay = room.messages.filter((m) => m.offset > offset);
          }
        }
        this.#deliver(socket, answer);
        replay.forEach((m) => this.#deliver(socket, m));
        room.members.add(socket);
        break;
      }
      case "unsubscribe":
        this.room(request.room).members.delete(socket);
        this.#deliver(socket, { type: "unsubscribed", room: request.room });
        break;
      case "publish": {
        let position = this.seen.get(request.id);
        if (!position) {
          position = this.publish(request.room, request.data);
          this.seen.set(request.id, position);
        }
        this.#deliver(socket, { type: "ack", id: request.id, room: request.room, ...position });
        break;
      }
      case "ping":
        this.#deliver(socket, { type: "pong" });
        break;
    }
  }
}

/** Lets promise callbacks run (a publish's then, say). */
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The event stream transport's side of the browser, faked: an EventSource constructor and a fetch for
 * the client's `EventSource` and `fetch` options. Each stream made is kept in `streams`; `onCreate`
 * (when set) sees each as it is made. `posts` lists every POST (url and body); `answer` decides each
 * POST's response (by default 204 after handing its lines to the stream's `onPost`).
 */
export function fakeEventStreams() {
  const made = {
    streams: [],
    posts: [],
    onCreate: null,
    answer: null,
    get last() {
      return this.streams[this.streams.length - 1];
    },
  };

  class FakeEventSource {
    constructor(url) {
      this.url = url;
      this.closed = false;
      this.onmessage = this.onerror = null;
      this.listeners = new Map();
      /** The session its welcome names, once it sent one. */
      this.session = null;
      /** Called with each request posted to this stream's session, parsed. */
      this.onPost = null;
      made.streams.push(this);
      if (made.onCreate) made.onCreate(this);
    }

    addEventListener(type, listener) {
      this.listeners.set(type, listener);
    }

    close() {
      this.closed = true;
    }

    // ---- what the server does ----

    /** The stream opens with a welcome naming `session`. */
    accept(welcome = {}, session = `s${made.streams.length}`) {
      this.session = session;
      this.receive({ type: "welcome", version: 1, user: "ada", heartbeat: 25_000, session, ...welcome });
    }

    /** An event whose data is the message's JSON (a string as it is). */
    receive(message) {
      if (this.closed) return;
      this.onmessage?.({ data: typeof message === "string" ? message : JSON.stringify(message) });
    }

    /** The server's close event. */
    end(code, reason) {
      if (!this.closed) this.listeners.get("close")?.({ data: JSON.stringify({ code, reason }) });
    }

    /** The stream fails (the browser's error event). */
    drop() {
      if (!this.closed) this.onerror?.({});
    }
  }

  made.EventSource = FakeEventSource;
  made.fetch = (url, init) => {
    const post = { url, body: init.body, method: init.method, headers: init.headers };
    made.posts.push(post);
    const session = new URL(url).searchParams.get("session");
    const stream = made.streams.find((s) => s.session === session && !s.closed);
    if (made.answer) return made.answer(post, stream);
    if (!stream) return Promise.resolve({ ok: false, status: 404 });
    for (const line of init.body.split("\n")) stream.onPost?.(JSON.parse(line));
    return Promise.resolve({ ok: true, status: 204 });
  };
  return made;
}

/**
 * Serves a fake event stream from a {@link FakeServer}: the stream stands in for a socket there, its
 * POSTs are that socket's requests, the server's answers are its events.
 */
export function serveStream(server, stream) {
  const socket = {
    readyState: 1,
    send() {},
    accept(welcome) {
      stream.accept(welcome);
    },
    receive(message) {
      stream.receive(message);
    },
    drop() {
      socket.readyState = 3;
      stream.drop();
    },
  };
  // Before the welcome: the client posts its subscriptions as soon as it has it.
  stream.onPost = (request) => socket.send(JSON.stringify(request));
  server.attach(socket);
  return socket;
}
