/**
 * The browser client of Echowall's client protocol, `echowall.v1`: rooms whose messages arrive once
 * and in order across reconnects, publishes acknowledged with their position, presence, and a
 * connection that heals itself (backoff with full jitter, a heartbeat, an offline queue).
 *
 * Where WebSockets cannot open (some proxies and filters still break them), it falls back by itself to
 * the same protocol over an event stream (Server-Sent Events, with requests sent by POST).
 *
 * One dependency-free ES module; the server serves it at `/echowall/echowall.js`:
 *
 * ```js
 * import { connect } from "/echowall/echowall.js";
 * const client = connect("/rooms");
 * client.subscribe("lobby", (data) => show(data));
 * await client.publish("lobby", { text: "hi" });
 * ```
 *
 * The protocol is in docs/reference/client-protocol.md, this API in docs/reference/echowall-js.md.
 * Everything that touches the outside world (the WebSocket constructor, timers, randomness) can be
 * replaced through {@link ConnectOptions}, so the logic is tested without a network or a real clock.
 *
 * @module echowall
 */

/** The WebSocket subprotocol this client speaks. */
export const PROTOCOL = "echowall.v1";

// readyState of an open WebSocket (the browser's WebSocket.OPEN), so fakes need not define the constants.
const OPEN = 1;

/**
 * The defaults of {@link ConnectOptions}, each with its reason.
 * @type {Readonly<Required<Pick<ConnectOptions, "retryBase" | "retryCap" | "stableAfter" | "connectTimeout" | "heartbeatTimeout" | "queueLimit" | "transport" | "fallbackAfter">>>}
 */
export const DEFAULTS = Object.freeze({
  // Half a second: a blip (a deploy, a proxy restart) heals before a person notices.
  retryBase: 500,
  // Thirty seconds: a long outage is still noticed within half a minute once it ends, and a crowd of
  // clients retrying costs the server one upgrade per client per 15 s on average (the mean wait).
  retryCap: 30_000,
  // Five seconds: a server that accepts and then drops at once must not reset the backoff and be
  // hammered at the base rate; one that kept us five seconds was a good connection.
  stableAfter: 5_000,
  // Ten seconds from creating the socket to the server's welcome: a black-holed network can keep a
  // browser's connect attempt pending for minutes.
  connectTimeout: 10_000,
  // Ten seconds for an answer to a ping: a slow mobile link answers within that, a dead one never.
  heartbeatTimeout: 10_000,
  // A thousand publishes made while offline: a chat outage's worth, and a bound on memory.
  queueLimit: 1_000,
  // WebSocket first, the event stream where it cannot open: most networks take WebSockets, which cost
  // the server less, and the rest still get the same rooms, in the same order.
  transport: "auto",
  // Two WebSocket attempts in a row that never got a welcome: one failure is as likely a server restart
  // as a proxy, and a second one costs at most the first retry's wait (under a second by default).
  fallbackAfter: 2,
});

/** The longest body of one POST on the event stream transport: requests that waited go together, up to this. */
const MAX_POST = 64 * 1024;

/**
 * An error of the client or one the server answered with: `code` is one of the protocol's error codes
 * (`forbidden`, `bad-request`, `unknown-type`, `not-subscribed`) or one of the client's own:
 * `queue-full` (a publish pushed out of the offline queue), `closed` (the client was closed before
 * the publish was acknowledged), `bad-message` (the server sent something that is not the protocol).
 */
export class EchowallError extends Error {
  /**
   * @param {string} code what went wrong, as a short stable word
   * @param {string} message what went wrong, for people
   * @param {{id?: string, room?: string}} [details] the publish id and room the error is about
   */
  constructor(code, message, details = {}) {
    super(message);
    this.name = "EchowallError";
    /** @type {string} */
    this.code = code;
    /** @type {string | undefined} the publish this error answers */
    this.id = details.id;
    /** @type {string | undefined} the room this error is about */
    this.room = details.room;
  }
}

/**
 * Opens a client to a rooms endpoint (`app.roomsEndpoint(path)` on the server) and keeps it
 * connected until {@link Client#close}: it reconnects by itself, resubscribes every room from the last
 * position it saw, and sends the publishes that waited. The connection starts at once; subscribe and
 * publish right away, no need to wait for it.
 *
 * @param {string} url the endpoint: `ws://` or `wss://`, `http://` or `https://` (turned into the
 *   WebSocket scheme), or a path relative to the page, such as `"/rooms"`
 * @param {ConnectOptions} [options]
 * @returns {Client}
 */
export function connect(url, options = {}) {
  return new Client(url, options);
}

/**
 * @typedef {object} ConnectOptions
 * @property {number} [retryBase] ms; the first retry waits a random time below this, each further one
 *   below twice the last bound, up to `retryCap` (exponential backoff with full jitter). Default 500.
 * @property {number} [retryCap] ms; the largest bound of a retry's wait. Default 30,000.
 * @property {number} [stableAfter] ms; a connection open this long was a good one: when it drops,
 *   the backoff starts over from `retryBase`. Default 5,000.
 * @property {number} [connectTimeout] ms from creating a socket to the server's `welcome`; past it
 *   the attempt is dropped and retried. Default 10,000.
 * @property {number} [heartbeatTimeout] ms to wait for anything from the server after a `ping`
 *   (sent when nothing was heard for the server's `heartbeat`); past it the socket is dropped and a
 *   new one made. Default 10,000.
 * @property {number} [queueLimit] publishes that may wait while disconnected (those never sent and
 *   those sent but not acknowledged when the connection dropped); past it the oldest is rejected
 *   with a `queue-full` {@link EchowallError}. Default 1,000.
 * @property {string} [clientId] this client's id, the prefix of its publish ids; by default a random
 *   UUID, new for every client.
 * @property {boolean} [retryWhenOnline] retry at once, skipping the rest of the wait, when the browser
 *   says it is back online (the `online` event). Default true.
 * @property {"auto" | "websocket" | "sse"} [transport] how to reach the server: `"websocket"`; `"sse"`,
 *   the event stream (Server-Sent Events, requests by POST) for networks that break WebSockets; or
 *   `"auto"`, a WebSocket until `fallbackAfter` attempts in a row fail before the server's welcome,
 *   then the event stream while it works (where the platform has an EventSource); an event stream that
 *   fails before its welcome too sends the next attempt back to a WebSocket. Default `"auto"`.
 * @property {number} [fallbackAfter] with `transport: "auto"`, WebSocket attempts in a row that end (or
 *   time out, see `connectTimeout`) before a welcome, after which the client uses the event stream. Default 2.
 * @property {WebSocketConstructor} [WebSocket] the WebSocket constructor; by default the browser's.
 *   Tests pass a fake.
 * @property {EventSourceConstructor} [EventSource] the EventSource constructor, for the event stream;
 *   by default the browser's. Tests pass a fake.
 * @property {(url: string, init: object) => Promise<{ok: boolean, status: number}>} [fetch] sends the
 *   event stream's POSTs; by default the global fetch. Tests pass a fake.
 * @property {Clock} [clock] timers and the time; by default the global ones. Tests pass a fake.
 * @property {() => number} [random] a random number in [0, 1), for the jitter; by default Math.random.
 */

/**
 * @typedef {object} Clock
 * @property {() => number} now the time in ms
 * @property {(callback: () => void, ms: number) => unknown} setTimeout
 * @property {(handle: unknown) => void} clearTimeout
 */

/**
 * @typedef {new (url: string, protocols: string) => WebSocketLike} WebSocketConstructor
 * @typedef {new (url: string) => {onmessage: ((event: {data: string}) => void) | null,
 *   onerror: ((event: unknown) => void) | null, addEventListener(type: string, listener: (event: {data: string}) => void): void,
 *   close(): void}} EventSourceConstructor
 * @typedef {{readyState: number, send(data: string): void, close(code?: number, reason?: string): void,
 *   onmessage: ((event: {data: unknown}) => void) | null, onclose: ((event: {code: number, reason: string}) => void) | null,
 *   onerror: ((event: unknown) => void) | null, onopen: ((event: unknown) => void) | null}} WebSocketLike
 */

/**
 * @typedef {object} Position where a room's history stands: an offset counted within an epoch
 * @property {string} epoch names the history the offset counts in; it changes when that history is lost
 * @property {number} offset 1 for the room's first message, one more for each
 */

/**
 * @typedef {object} RoomMessage a message of a room, with its position
 * @property {string} room
 * @property {string} epoch
 * @property {number} offset
 * @property {unknown} data what was published (a JSON value)
 */

/**
 * @typedef {object} PresenceEvent a user joined or left a subscribed room
 * @property {string} room
 * @property {string} user
 * @property {boolean} joined true when the user joined, false when it left
 * @property {number} users how many users are present now, as far as this client knows
 */

/**
 * @typedef {object} GapEvent a resume that could not recover: the messages between `since` and the
 *   new position are lost to this client, so an app that needs them refetches its state
 * @property {string} room
 * @property {"trimmed" | "epoch" | "no-history" | string} reason why (see the protocol page)
 * @property {Position} since the last position this client had seen
 * @property {Position} position where the room's messages go on from
 */

/**
 * @typedef {object} SubscribedEvent the server has the subscription live: from here on its messages
 *   arrive as they are published, after those it replayed
 * @property {string} room
 * @property {Position} position the position the room's messages go on from
 * @property {number} users how many users are present, as the server counted them
 */

/**
 * @typedef {object} StateEvent the connection's state changed, or a retry was scheduled
 * @property {"connecting" | "open" | "closed"} state `connecting` while there is no usable
 *   connection (a socket is opening, or a retry is waiting), `open` once the server welcomed this
 *   client, `closed` after {@link Client#close}, for good
 * @property {number} attempt connection attempts that failed in a row (0 when open)
 * @property {number} [retryIn] ms until the next attempt, when one is scheduled
 * @property {number} [code] the close code of the connection that just ended, if one did
 * @property {string} [reason] the close reason, or why the client dropped the connection itself
 */

/**
 * @typedef {object} SubscribeOptions
 * @property {(event: PresenceEvent) => void} [onPresence] a user joined or left this room
 * @property {(event: GapEvent) => void} [onGap] messages were missed and cannot be replayed
 * @property {(event: SubscribedEvent) => void} [onSubscribed] the server has the subscription live:
 *   first, and again after every reconnect; the moment to fetch state the messages then keep up to date
 * @property {(error: EchowallError) => void} [onError] the server refused the subscription (it ends)
 * @property {Position} [since] resume from this position (one kept from an earlier page, say):
 *   the first messages are those after it, or an `onGap` says why they cannot be
 */

/**
 * @typedef {object} Publish a publish not yet acknowledged
 * @property {string} id
 * @property {string} room
 * @property {string} frame its message, encoded when it was made
 * @property {(position: Position & {room: string, id: string}) => void} resolve
 * @property {(error: Error) => void} reject
 * @property {boolean} sent written on the current socket
 */

/**
 * A connection to a rooms endpoint that heals itself; made by {@link connect}.
 */
class Client {
  /** @type {string} */ #url;
  /** @type {Required<Omit<ConnectOptions, "clientId">>} */ #options;
  /** @type {WebSocketLike | null} */ #socket = null;
  /** @type {"connecting" | "open" | "closed"} */ #state = "connecting";
  #attempt = 0;
  #heartbeat = 0;
  #lastHeard = 0;
  #openedAt = -1;
  #retryTimer = null;
  #connectTimer = null;
  #idleTimer = null;
  #pongTimer = null;
  #counter = 0;
  /** @type {"websocket" | "sse"} the transport of the current or next attempt */
  #transport = "websocket";
  /** WebSocket attempts in a row that ended before a welcome */
  #failedWebSockets = 0;
  /** @type {string | null} */ #user = null;
  /** @type {Map<string, Room>} rooms with at least one subscription */
  #rooms = new Map();
  /** @type {Map<string, number>} unsubscribes sent on this connection and not yet answered, per room */
  #leaving = new Map();
  /** @type {Map<string, Publish>} publishes not yet acknowledged, in the order they were made */
  #pending = new Map();
  #unsent = 0;
  #listeners = { state: new Set(), presence: new Set(), gap: new Set(), error: new Set() };
  #onOnline = () => this.#retryNow();

  /**
   * @param {string} url
   * @param {ConnectOptions} options
   */
  constructor(url, options) {
    const clock = options.clock ?? {
      now: () => Date.now(),
      setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
      clearTimeout: (handle) => globalThis.clearTimeout(/** @type {any} */ (handle)),
    };
    const WebSocketClass = options.WebSocket ?? globalThis.WebSocket;
    const EventSourceClass = options.EventSource ?? globalThis.EventSource;
    const fetchFunction = options.fetch ?? (typeof globalThis.fetch === "function" ? globalThis.fetch.bind(globalThis) : undefined);
    const transport = options.transport ?? DEFAULTS.transport;
    if (!["auto", "websocket", "sse"].includes(transport)) {
      throw new RangeError(`echowall: options.transport is "auto", "websocket" or "sse", not ${transport}`);
    }
    const canStream = typeof EventSourceClass === "function" && typeof fetchFunction === "function";
    if (transport === "sse" && !canStream) {
      throw new TypeError("echowall: no EventSource or fetch here; pass options.EventSource and options.fetch");
    }
    if (transport !== "sse" && typeof WebSocketClass !== "function") {
      throw new TypeError("echowall: no WebSocket here; pass options.WebSocket");
    }
    this.#options = {
      ...DEFAULTS,
      retryWhenOnline: true,
      random: Math.random,
      ...withoutUndefined(options),
      clock,
      WebSocket: WebSocketClass,
      EventSource: EventSourceClass,
      fetch: fetchFunction,
      canStream,
    };
    this.#transport = transport === "sse" ? "sse" : "websocket";
    for (const name of ["retryBase", "retryCap", "stableAfter", "connectTimeout", "heartbeatTimeout", "queueLimit", "fallbackAfter"]) {
      const value = this.#options[name];
      if (typeof value !== "number" || !(value >= 0)) {
        throw new RangeError(`echowall: options.${name} must be a number ≥ 0, not ${value}`);
      }
    }
    this.#url = webSocketUrl(url);
    /** This client's id: the prefix of its publish ids, random unless given. */
    this.id = options.clientId ?? randomId();
    // A publish id (this id, a colon and a counter) is at most 128 characters for the server.
    if (typeof this.id !== "string" || this.id.length === 0 || this.id.length > 100) {
      throw new RangeError("echowall: options.clientId must be a string of 1 to 100 characters");
    }
    if (this.#options.retryWhenOnline && typeof globalThis.addEventListener === "function") {
      globalThis.addEventListener("online", this.#onOnline);
    }
    this.#open();
  }

  /** The connection's state: `"connecting"`, `"open"` or `"closed"`. */
  get state() {
    return this.#state;
  }

  /** The user the server named this connection (`ws.user`), from its welcome; null before the first. */
  get user() {
    return this.#user;
  }

  /** The WebSocket URL this client connects to (its event stream is the same URL over http or https). */
  get url() {
    return this.#url;
  }

  /** The transport of the current connection, or of the next attempt: `"websocket"` or `"sse"`. */
  get transport() {
    return this.#transport;
  }

  /**
   * Subscribes to a room: `onMessage` gets each of its messages once and in order, across reconnects
   * (see {@link SubscribeOptions#onGap} for when that cannot be). Several subscriptions to one room
   * share one subscription on the server.
   *
   * @param {string} room
   * @param {(data: unknown, message: RoomMessage) => void} onMessage
   * @param {SubscribeOptions} [options]
   * @returns {Subscription}
   */
  subscribe(room, onMessage, options = {}) {
    if (this.#state === "closed") {
      throw new EchowallError("closed", "echowall: the client is closed", { room });
    }
    checkRoom(room);
    if (typeof onMessage !== "function") {
      throw new TypeError("echowall: subscribe needs a function for the messages");
    }
    let state = this.#rooms.get(room);
    const fresh = state === undefined;
    if (fresh) {
      state = new Room(room);
      this.#rooms.set(room, state);
    }
    if (options.since && (fresh || !state.known)) {
      state.position = { epoch: String(options.since.epoch), offset: Number(options.since.offset) };
    }
    const subscription = new Subscription(state, onMessage, options, (s) => this.#unsubscribe(s));
    state.subscriptions.add(subscription);
    if (fresh && this.#state === "open") {
      this.#sendSubscribe(state);
    }
    return subscription;
  }

  /**
   * Publishes `data` to a room. The promise resolves with the message's position once the server has
   * stored it, or rejects with an {@link EchowallError}: the server refused it (`forbidden`,
   * `bad-request`), it was pushed out of the offline queue (`queue-full`), or the client was closed
   * (`closed`). A publish made while disconnected waits in the queue; one that was sent when the
   * connection dropped is sent again, with the same id, and the server applies it once.
   *
   * @param {string} room
   * @param {unknown} data any JSON value; it is encoded now, so later changes to it do not matter
   * @returns {Promise<Position & {room: string, id: string}>}
   */
  publish(room, data) {
    try {
      checkRoom(room);
      if (this.#state === "closed") {
        throw new EchowallError("closed", "echowall: the client is closed", { room });
      }
      const id = `${this.id}:${++this.#counter}`;
      const encoded = JSON.stringify(data);
      if (encoded === undefined) {
        throw new TypeError("echowall: publish needs a JSON value, not " + typeof data);
      }
      const frame = `{"type":"publish","room":${JSON.stringify(room)},"id":${JSON.stringify(id)},"data":${encoded}}`;
      return new Promise((resolve, reject) => {
        const publish = { id, room, frame, resolve, reject, sent: false };
        this.#pending.set(id, publish);
        this.#unsent++;
        if (this.#state === "open") {
          this.#sendPublish(publish);
        } else {
          this.#trimQueue();
        }
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Listens to the client's events: `"state"` ({@link StateEvent}), `"presence"` ({@link PresenceEvent},
   * any subscribed room), `"gap"` ({@link GapEvent}, any subscribed room), `"error"` (an
   * {@link EchowallError} not answered by a rejected publish or a subscription's `onError`).
   *
   * @param {"state" | "presence" | "gap" | "error"} type
   * @param {(event: any) => void} listener
   * @returns {() => void} removes the listener
   */
  on(type, listener) {
    const set = this.#listeners[type];
    if (set === undefined) {
      throw new TypeError(`echowall: no event "${type}"; there are ${Object.keys(this.#listeners).join(", ")}`);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Closes the client for good: the socket is closed with 1000, publishes not yet acknowledged are
   * rejected with a `closed` {@link EchowallError}, and no event follows the `closed` state.
   */
  close() {
    if (this.#state === "closed") {
      return;
    }
    this.#state = "closed";
    this.#clearTimers();
    clearTimer(this.#options.clock, this.#retryTimer);
    this.#retryTimer = null;
    if (typeof globalThis.removeEventListener === "function") {
      globalThis.removeEventListener("online", this.#onOnline);
    }
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      detach(socket);
      closeQuietly(socket, 1000, "client closed");
    }
    for (const publish of this.#pending.values()) {
      publish.reject(new EchowallError("closed", "echowall: the client was closed before the publish was acknowledged",
        { id: publish.id, room: publish.room }));
    }
    this.#pending.clear();
    this.#unsent = 0;
    for (const room of this.#rooms.values()) {
      room.subscriptions.forEach((s) => s.end());
    }
    this.#rooms.clear();
    this.#emit("state", { state: "closed", attempt: this.#attempt });
  }

  // ---- the connection ----

  #open() {
    const { clock } = this.#options;
    let socket;
    try {
      socket = this.#transport === "sse"
        ? new EventStreamSocket(httpUrl(this.#url), this.#options.EventSource, this.#options.fetch)
        : new this.#options.WebSocket(this.#url, PROTOCOL);
    } catch (error) {
      // A constructor that throws (a content security policy, say) fails this attempt like a refused one.
      this.#dropped(1006, `could not create the ${this.#transport === "sse" ? "event stream" : "WebSocket"}: `
        + (error?.message ?? error));
      return;
    }
    this.#socket = socket;
    this.#openedAt = -1;
    this.#leaving.clear();
    socket.onopen = null;
    socket.onerror = null;
    socket.onmessage = (event) => {
      if (this.#socket === socket) this.#receive(event.data);
    };
    socket.onclose = (event) => {
      if (this.#socket === socket) this.#dropped(event.code, event.reason);
    };
    this.#connectTimer = clock.setTimeout(() => {
      this.#connectTimer = null;
      this.#abandon(`no welcome within ${this.#options.connectTimeout} ms`);
    }, this.#options.connectTimeout);
  }

  /** Gives up on the current socket at once (its close handshake may never finish) and schedules a retry. */
  #abandon(reason) {
    const socket = this.#socket;
    if (!socket) return;
    detach(socket);
    closeQuietly(socket, 4000, reason);
    this.#dropped(1006, reason);
  }

  /** The current socket is gone: everything it carried goes back to waiting, and a retry is scheduled. */
  #dropped(code, reason) {
    const { clock, random, retryBase, retryCap, stableAfter } = this.#options;
    const wasGood = this.#openedAt >= 0 && clock.now() - this.#openedAt >= stableAfter;
    const fallBack = this.#countFailure();
    this.#socket = null;
    this.#clearTimers();
    for (const room of this.#rooms.values()) room.live = false;
    for (const publish of this.#pending.values()) publish.sent = false;
    this.#unsent = this.#pending.size;
    this.#trimQueue();
    if (this.#state === "closed") return;
    if (wasGood) this.#attempt = 0;
    if (fallBack) {
      // Another transport is not a retry of the same one: it is tried at once.
      this.#state = "connecting";
      this.#emit("state", { state: "connecting", attempt: this.#attempt, retryIn: 0, code, reason });
      if (this.#state === "connecting" && this.#socket === null && this.#retryTimer === null) this.#open();
      return;
    }
    // Full jitter: a random wait below an exponentially growing bound, so a crowd of clients that lost
    // the same server spreads its retries over the whole interval instead of arriving together.
    const bound = Math.min(retryCap, retryBase * 2 ** Math.min(this.#attempt, 40));
    const retryIn = Math.floor(random() * bound);
    this.#attempt++;
    this.#state = "connecting";
    this.#retryTimer = clock.setTimeout(() => {
      this.#retryTimer = null;
      this.#open();
    }, retryIn);
    this.#emit("state", { state: "connecting", attempt: this.#attempt, retryIn, code, reason });
  }

  /**
   * Counts a WebSocket attempt that ended before its welcome; whether the client now falls back to the
   * event stream, which it then keeps while it works (a network that breaks WebSockets rarely heals
   * while a page is open).
   */
  #countFailure() {
    if (this.#openedAt >= 0) return false;
    if (this.#transport === "sse") {
      // The event stream failed before its welcome too: the server is out of reach, not WebSockets
      // (a restart, say). With "auto" the next attempt is a WebSocket again, so that a page does not
      // keep the costlier transport because it fell back while the server was down.
      if (this.#options.transport === "auto") {
        this.#transport = "websocket";
        this.#failedWebSockets = 0;
      }
      return false;
    }
    this.#failedWebSockets++;
    const { transport, fallbackAfter, canStream } = this.#options;
    if (transport !== "auto" || !canStream || this.#failedWebSockets < fallbackAfter) return false;
    this.#transport = "sse";
    return true;
  }

  #retryNow() {
    if (this.#retryTimer === null) return;
    clearTimer(this.#options.clock, this.#retryTimer);
    this.#retryTimer = null;
    this.#open();
  }

  #clearTimers() {
    const { clock } = this.#options;
    for (const timer of [this.#connectTimer, this.#idleTimer, this.#pongTimer]) clearTimer(clock, timer);
    this.#connectTimer = this.#idleTimer = this.#pongTimer = null;
  }

  /** Sends a frame on the open socket; false when it cannot (the socket is closing: the close event follows). */
  #send(frame) {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN || this.#state !== "open") return false;
    try {
      socket.send(frame);
      return true;
    } catch {
      return false;
    }
  }

  // ---- the heartbeat ----

  #armIdle(ms) {
    this.#idleTimer = this.#options.clock.setTimeout(() => this.#idle(), ms);
  }

  /** Nothing heard for `heartbeat` ms (the timer runs from the last thing heard): ping, and wait for an answer. */
  #idle() {
    this.#idleTimer = null;
    const quiet = this.#options.clock.now() - this.#lastHeard;
    if (quiet < this.#heartbeat) {
      this.#armIdle(this.#heartbeat - quiet);
      return;
    }
    this.#send('{"type":"ping"}');
    this.#pongTimer = this.#options.clock.setTimeout(() => {
      this.#pongTimer = null;
      this.#abandon(`no answer to a ping within ${this.#options.heartbeatTimeout} ms`);
    }, this.#options.heartbeatTimeout);
  }

  // ---- what the server says ----

  #receive(raw) {
    const { clock } = this.#options;
    this.#lastHeard = clock.now();
    if (this.#pongTimer !== null) {
      clearTimer(clock, this.#pongTimer);
      this.#pongTimer = null;
      this.#armIdle(this.#heartbeat);
    }
    let message;
    try {
      message = typeof raw === "string" ? JSON.parse(raw) : undefined;
    } catch {
      message = undefined;
    }
    if (message === null || typeof message !== "object" || typeof message.type !== "string") {
      this.#emit("error", new EchowallError("bad-message", "echowall: the server sent a frame that is not a protocol message"));
      return;
    }
    switch (message.type) {
      case "welcome": return this.#welcome(message);
      case "subscribed": return this.#subscribed(message);
      case "message": return this.#message(message);
      case "ack": return this.#ack(message);
      case "presence": return this.#presence(message);
      case "unsubscribed": return this.#unsubscribed(message.room);
      case "error": return this.#error(message);
      default: return; // pong, and types of later versions: hearing them was the point
    }
  }

  #welcome(message) {
    const { clock } = this.#options;
    clearTimer(clock, this.#connectTimer);
    this.#connectTimer = null;
    this.#user = message.user ?? null;
    this.#heartbeat = Number(message.heartbeat) > 0 ? Number(message.heartbeat) : 0;
    this.#openedAt = clock.now();
    this.#state = "open";
    if (this.#transport === "websocket") this.#failedWebSockets = 0;
    // Subscriptions and the queue first: a publish made by a listener of "open" comes after the waiting ones.
    for (const room of this.#rooms.values()) this.#sendSubscribe(room);
    for (const publish of this.#pending.values()) {
      if (!this.#sendPublish(publish)) break;
    }
    if (this.#heartbeat > 0) this.#armIdle(this.#heartbeat);
    this.#emit("state", { state: "open", attempt: 0 });
  }

  #sendSubscribe(room) {
    const frame = { type: "subscribe", room: room.name };
    if (room.known) frame.since = { ...room.position };
    this.#send(JSON.stringify(frame));
  }

  #sendPublish(publish) {
    if (!this.#send(publish.frame)) return false;
    publish.sent = true;
    this.#unsent--;
    return true;
  }

  /** The room state for a message about `name`, or undefined when it belongs to no live subscription. */
  #live(name) {
    const room = this.#rooms.get(name);
    return room !== undefined && room.live && !this.#leaving.get(name) ? room : undefined;
  }

  #subscribed(message) {
    const room = this.#rooms.get(message.room);
    // A subscribed that answers a subscribe made before an unsubscribe still unanswered is stale.
    if (room === undefined || this.#leaving.get(message.room)) return;
    // Another one for a live subscription: while replaying, the server found the history shorter than
    // it looked, or lost, and goes on from a new position (it is always recovered: false).
    if (room.live && message.recovered !== false) return;
    const position = { epoch: String(message.epoch), offset: Number(message.offset) };
    const since = room.position;
    room.live = true;
    room.users = Number(message.users) || 0;
    if (message.recovered === false && since !== null) {
      room.position = position;
      const gap = { room: room.name, reason: String(message.reason ?? "unknown"), since, position };
      for (const subscription of [...room.subscriptions]) subscription.gap(gap, (e) => this.#report(e));
      this.#emit("gap", gap);
    } else if (since === null || since.epoch !== position.epoch || position.offset > since.offset) {
      room.position = position;
    }
    const live = { room: room.name, position: room.position, users: room.users };
    for (const subscription of [...room.subscriptions]) subscription.subscribed(live, (e) => this.#report(e));
  }

  #message(message) {
    const room = this.#live(message.room);
    if (room === undefined) return;
    const epoch = String(message.epoch);
    const offset = Number(message.offset);
    // Each position once: an offset at or below the last one seen in the same epoch was delivered already.
    if (room.known && epoch === room.position.epoch && offset <= room.position.offset) return;
    room.position = { epoch, offset };
    const delivered = { room: room.name, epoch, offset, data: message.data };
    for (const subscription of [...room.subscriptions]) subscription.deliver(delivered, (e) => this.#report(e));
  }

  #ack(message) {
    const publish = this.#pending.get(message.id);
    if (publish === undefined) return; // an ack for a publish sent twice, already acknowledged
    this.#pending.delete(message.id);
    if (!publish.sent) this.#unsent--;
    publish.resolve({ id: publish.id, room: publish.room, epoch: String(message.epoch), offset: Number(message.offset) });
  }

  #presence(message) {
    const room = this.#live(message.room);
    if (room === undefined) return;
    const joined = message.joined === true;
    room.users = Math.max(0, room.users + (joined ? 1 : -1));
    const event = { room: room.name, user: String(message.user), joined, users: room.users };
    for (const subscription of [...room.subscriptions]) subscription.presence(event, (e) => this.#report(e));
    this.#emit("presence", event);
  }

  #unsubscribed(name) {
    const count = this.#leaving.get(name) ?? 0;
    // A subscribe sent after this unsubscribe is answered after it: from now on, answers are for it.
    if (count <= 1) this.#leaving.delete(name);
    else this.#leaving.set(name, count - 1);
  }

  #error(message) {
    const error = new EchowallError(String(message.code ?? "error"), String(message.message ?? "refused"),
      { id: message.id, room: message.room });
    const publish = message.id === undefined ? undefined : this.#pending.get(message.id);
    if (publish !== undefined) {
      this.#pending.delete(message.id);
      if (!publish.sent) this.#unsent--;
      publish.reject(error);
      return;
    }
    if (message.code === "not-subscribed" && message.room !== undefined) {
      this.#unsubscribed(message.room);
      return;
    }
    const room = message.room === undefined || message.id !== undefined ? undefined : this.#rooms.get(message.room);
    if (room !== undefined && !room.live) {
      // The server refused the subscribe: the subscriptions end, and are not made again on reconnect.
      this.#rooms.delete(room.name);
      for (const subscription of [...room.subscriptions]) subscription.refused(error, (e) => this.#report(e));
    }
    this.#emit("error", error);
  }

  // ---- bookkeeping ----

  #unsubscribe(subscription) {
    const room = subscription.state;
    if (this.#rooms.get(room.name) !== room || !room.subscriptions.delete(subscription)) return;
    if (room.subscriptions.size > 0) return;
    this.#rooms.delete(room.name);
    if (this.#state === "open" && this.#send(JSON.stringify({ type: "unsubscribe", room: room.name }))) {
      this.#leaving.set(room.name, (this.#leaving.get(room.name) ?? 0) + 1);
    }
  }

  /** Over the bound, the oldest waiting publishes are rejected, so a long outage cannot grow the queue without end. */
  #trimQueue() {
    const limit = this.#options.queueLimit;
    if (this.#unsent <= limit) return;
    for (const publish of this.#pending.values()) {
      if (this.#unsent <= limit) break;
      if (publish.sent) continue;
      this.#pending.delete(publish.id);
      this.#unsent--;
      publish.reject(new EchowallError("queue-full",
        `echowall: more than ${limit} publishes waited for the connection; this one, the oldest, was dropped`
          + " (if it had been sent before the connection dropped, the server may have applied it)",
        { id: publish.id, room: publish.room }));
    }
  }

  #emit(type, event) {
    for (const listener of [...this.#listeners[type]]) {
      try {
        listener(event);
      } catch (error) {
        this.#report(error);
      }
    }
  }

  /** An app callback threw: the client goes on, and the error is reported where the page's errors go. */
  #report(error) {
    if (typeof globalThis.reportError === "function") globalThis.reportError(error);
    else console.error(error);
  }
}

/** One room this client subscribes to, shared by the subscriptions to it. */
class Room {
  /** @param {string} name */
  constructor(name) {
    this.name = name;
    /** @type {Set<Subscription>} */
    this.subscriptions = new Set();
    /** @type {Position | null} the last position seen, null before the first */
    this.position = null;
    /** true once the server answered this connection's subscribe (messages before that are stale) */
    this.live = false;
    this.users = 0;
  }

  get known() {
    return this.position !== null;
  }
}

/**
 * A subscription to one room, made by {@link Client#subscribe}.
 */
class Subscription {
  #state;
  #onMessage;
  #options;
  #unsubscribe;
  #active = true;

  constructor(state, onMessage, options, unsubscribe) {
    this.#state = state;
    this.#onMessage = onMessage;
    this.#options = options;
    this.#unsubscribe = unsubscribe;
  }

  /** The room's name. */
  get room() {
    return this.#state.name;
  }

  /** The position of the last message of the room this client has seen, or null before the first. */
  get position() {
    return this.#state.position === null ? null : { ...this.#state.position };
  }

  /** How many users are present in the room, as far as this client knows. */
  get users() {
    return this.#state.users;
  }

  /** False once unsubscribed, refused by the server, or its client closed. */
  get active() {
    return this.#active;
  }

  /** Stops this subscription; the client unsubscribes from the room when it was the room's last. */
  unsubscribe() {
    if (!this.#active) return;
    this.#active = false;
    this.#unsubscribe(this);
  }

  /** @internal */
  get state() {
    return this.#state;
  }

  /** @internal */
  end() {
    this.#active = false;
  }

  /** @internal */
  deliver(message, report) {
    if (this.#active) call(this.#onMessage, report, message.data, message);
  }

  /** @internal */
  presence(event, report) {
    if (this.#active && this.#options.onPresence) call(this.#options.onPresence, report, event);
  }

  /** @internal */
  subscribed(event, report) {
    if (this.#active && this.#options.onSubscribed) call(this.#options.onSubscribed, report, event);
  }

  /** @internal */
  gap(event, report) {
    if (this.#active && this.#options.onGap) call(this.#options.onGap, report, event);
  }

  /** @internal */
  refused(error, report) {
    if (!this.#active) return;
    this.#active = false;
    if (this.#options.onError) call(this.#options.onError, report, error);
  }
}

function call(callback, report, ...args) {
  try {
    callback(...args);
  } catch (error) {
    report(error);
  }
}

/** The longest room name a server takes, in UTF-16 code units (a JavaScript string's length). */
const MAX_ROOM_LENGTH = 256;

function checkRoom(room) {
  if (typeof room !== "string" || room.length === 0 || room.length > MAX_ROOM_LENGTH) {
    throw new TypeError(`echowall: a room is a string of 1 to ${MAX_ROOM_LENGTH} characters`);
  }
}

function detach(socket) {
  socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
}

function closeQuietly(socket, code, reason) {
  try {
    socket.close(code, truncate(reason));
  } catch {
    // Already closing or closed: nothing more to do.
  }
}

function clearTimer(clock, timer) {
  if (timer !== null && timer !== undefined) clock.clearTimeout(timer);
}

/** A close reason is at most 123 bytes of UTF-8 (RFC 6455 section 5.5); ours are ASCII, this keeps them so. */
function truncate(reason) {
  return reason.length <= 123 ? reason : reason.slice(0, 123);
}

function withoutUndefined(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

/** The WebSocket URL for `url`: http(s) becomes ws(s), a relative one is resolved against the page. */
function webSocketUrl(url) {
  const base = globalThis.location?.href;
  const parsed = base === undefined ? new URL(url) : new URL(url, base);
  if (parsed.protocol === "http:") parsed.protocol = "ws:";
  else if (parsed.protocol === "https:") parsed.protocol = "wss:";
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") {
    throw new SyntaxError(`echowall: ${url} is not a ws:, wss:, http: or https: URL`);
  }
  parsed.hash = "";
  return parsed.href;
}

/** The http(s) URL of a ws(s) one: where the same endpoint serves its event stream. */
function httpUrl(url) {
  const parsed = new URL(url);
  parsed.protocol = parsed.protocol === "wss:" ? "https:" : "http:";
  return parsed.href;
}

/**
 * The event stream transport, shaped as the WebSocket the client otherwise uses: the server's envelopes
 * come as Server-Sent Events on one long GET, the first a welcome naming the session; the client's go as
 * POSTs to that session, in order: one in flight at a time, those that waited meanwhile together in the next.
 * A stream that ends or fails, a `close` event, or a POST that fails ends it, as a dropped WebSocket.
 */
class EventStreamSocket {
  #source;
  #url;
  #fetch;
  #session = null;
  #queue = [];
  #posting = false;

  /**
   * @param {string} url the endpoint's http(s) URL
   * @param {EventSourceConstructor} EventSourceClass
   * @param {(url: string, init: object) => Promise<{ok: boolean, status: number}>} fetch
   */
  constructor(url, EventSourceClass, fetch) {
    this.#url = url;
    this.#fetch = fetch;
    this.readyState = 0;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    const source = new EventSourceClass(url);
    this.#source = source;
    source.onmessage = (event) => this.#event(event.data);
    source.addEventListener("close", (event) => {
      let code = 1006;
      let reason = "the server ended the event stream";
      try {
        const close = JSON.parse(event.data);
        code = Number(close.code) || code;
        reason = String(close.reason ?? reason);
      } catch {
        // A close event without its details is a close all the same.
      }
      this.#end(code, reason);
    });
    // The browser would reconnect by itself, with none of the positions: the client does that instead.
    source.onerror = () => this.#end(1006, "the event stream failed or ended");
  }

  #event(data) {
    if (this.readyState === 3) return;
    if (this.#session === null) {
      let welcome;
      try {
        welcome = JSON.parse(data);
      } catch {
        welcome = undefined;
      }
      if (welcome?.type !== "welcome" || typeof welcome.session !== "string") {
        this.#end(1002, "the event stream did not begin with a welcome naming its session");
        return;
      }
      this.#session = welcome.session;
      this.readyState = OPEN;
    }
    this.onmessage?.({ data });
  }

  send(data) {
    if (this.readyState !== OPEN) throw new Error("InvalidStateError: the event stream is not open");
    this.#queue.push(data);
    this.#post();
  }

  close() {
    this.readyState = 3;
    this.#source.close();
  }

  #post() {
    if (this.#posting || this.#queue.length === 0 || this.readyState !== OPEN) return;
    let size = this.#queue[0].length;
    let count = 1;
    while (count < this.#queue.length && size + this.#queue[count].length + 1 <= MAX_POST) {
      size += this.#queue[count].length + 1;
      count++;
    }
    const body = this.#queue.splice(0, count).join("\n");
    const url = this.#url + (this.#url.includes("?") ? "&" : "?") + "session=" + encodeURIComponent(this.#session);
    this.#posting = true;
    // application/json: another origin cannot send it without a preflight, which the server never grants.
    this.#fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body,
      credentials: "same-origin", cache: "no-store" })
      .then((response) => {
        this.#posting = false;
        if (response.ok) this.#post();
        else this.#end(1006, `a request was answered with ${response.status}`);
      }, (error) => {
        this.#posting = false;
        this.#end(1006, "a request failed: " + (error?.message ?? error));
      });
  }

  #end(code, reason) {
    if (this.readyState === 3) return;
    this.close();
    this.onclose?.({ code, reason, wasClean: code !== 1006 });
  }
}

/** A random id: a UUID where the browser offers one (secure contexts), else 128 random bits in hex. */
function randomId() {
  const crypto = globalThis.crypto;
  if (typeof crypto?.randomUUID === "function") return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof crypto?.getRandomValues === "function") crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
