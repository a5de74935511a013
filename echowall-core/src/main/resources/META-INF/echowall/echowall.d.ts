/**
 * Types of echowall.js, the browser client of Echowall's client protocol `echowall.v1`. The server
 * serves this file at `/echowall/echowall.d.ts`, beside the module at `/echowall/echowall.js`.
 * The API is described in docs/reference/echowall-js.md.
 */

/** The WebSocket subprotocol the client speaks: `"echowall.v1"`. */
export declare const PROTOCOL: "echowall.v1";

/** The defaults of {@link ConnectOptions}. */
export declare const DEFAULTS: Readonly<{
  retryBase: number;
  retryCap: number;
  stableAfter: number;
  connectTimeout: number;
  heartbeatTimeout: number;
  queueLimit: number;
  transport: Transport;
  fallbackAfter: number;
}>;

/**
 * Opens a client to a rooms endpoint (`app.roomsEndpoint(path)` on the server) and keeps it connected
 * until `close()`: it reconnects by itself, resubscribes every room from the last position it saw, and
 * sends the publishes that waited.
 *
 * @param url `ws://`, `wss://`, `http://`, `https://` (turned into the WebSocket scheme), or a path
 *   relative to the page, such as `"/rooms"`
 */
export declare function connect(url: string, options?: ConnectOptions): Client;

/** Where a room's history stands: an offset counted within an epoch. */
export interface Position {
  /** Names the history the offset counts in; it changes when that history is lost. */
  epoch: string;
  /** 1 for the room's first message, one more for each. */
  offset: number;
}

/** A message of a room, with its position. */
export interface RoomMessage<T = unknown> extends Position {
  room: string;
  /** What was published (a JSON value). */
  data: T;
}

/** What a publish resolves with: the position the server stored it at. */
export interface Published extends Position {
  id: string;
  room: string;
}

/** A user joined or left a subscribed room. */
export interface PresenceEvent {
  room: string;
  user: string;
  /** True when the user joined, false when it left. */
  joined: boolean;
  /** How many users are present now, as far as this client knows. */
  users: number;
}

/**
 * A resume that could not recover: the messages between `since` and `position` are lost to this
 * client, so an app that needs them refetches its state.
 */
export interface GapEvent {
  room: string;
  /** `trimmed`, `epoch` or `no-history` (see the protocol page). */
  reason: "trimmed" | "epoch" | "no-history" | (string & {});
  /** The last position this client had seen. */
  since: Position;
  /** Where the room's messages go on from. */
  position: Position;
}

/**
 * The server has the subscription live: from here on its messages arrive as they are published,
 * after those it replayed.
 */
export interface SubscribedEvent {
  room: string;
  /** The position the room's messages go on from. */
  position: Position;
  /** How many users are present, as the server counted them. */
  users: number;
}

/** The connection's state changed, or a retry was scheduled. */
export interface StateEvent {
  /**
   * `connecting` while there is no usable connection (a socket is opening, or a retry waits),
   * `open` once the server welcomed the client, `closed` after `close()`, for good.
   */
  state: ConnectionState;
  /** Connection attempts that failed in a row (0 when open). */
  attempt: number;
  /** Ms until the next attempt, when one is scheduled. */
  retryIn?: number;
  /** The close code of the connection that just ended, if one did. */
  code?: number;
  /** The close reason, or why the client dropped the connection itself. */
  reason?: string;
}

export type ConnectionState = "connecting" | "open" | "closed";

/** The client's events and what their listeners get. */
export interface ClientEvents {
  state: StateEvent;
  presence: PresenceEvent;
  gap: GapEvent;
  error: EchowallError;
}

/** Timers and the time, as the client uses them. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The part of the browser's WebSocket the client uses. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** How a client reaches the server. */
export type Transport = "auto" | "websocket" | "sse";

/** The part of the browser's EventSource the client uses. */
export interface EventSourceLike {
  onmessage: ((event: { data: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  addEventListener(type: "close", listener: (event: { data: string }) => void): void;
  close(): void;
}

export interface ConnectOptions {
  /** Ms; the first retry waits a random time below this, each further one below twice the last bound. Default 500. */
  retryBase?: number;
  /** Ms; the largest bound of a retry's wait. Default 30,000. */
  retryCap?: number;
  /** Ms; a connection open this long was a good one: when it drops, the backoff starts over. Default 5,000. */
  stableAfter?: number;
  /** Ms from creating a socket to the server's welcome; past it the attempt is dropped and retried. Default 10,000. */
  connectTimeout?: number;
  /** Ms to wait for anything from the server after a ping; past it the socket is dropped. Default 10,000. */
  heartbeatTimeout?: number;
  /** Publishes that may wait while disconnected; past it the oldest is rejected with `queue-full`. Default 1,000. */
  queueLimit?: number;
  /** This client's id, the prefix of its publish ids; by default a random UUID per client. */
  clientId?: string;
  /** Retry at once when the browser says it is back online. Default true. */
  retryWhenOnline?: boolean;
  /**
   * How to reach the server: a WebSocket, the event stream (Server-Sent Events, requests by POST) for
   * networks that break WebSockets, or `"auto"`: a WebSocket until `fallbackAfter` attempts in a row end
   * before the server's welcome, then the event stream while it works (one that fails before its welcome
   * too sends the next attempt back to a WebSocket). Default `"auto"`.
   */
  transport?: Transport;
  /** With `transport: "auto"`, WebSocket attempts in a row without a welcome before falling back. Default 2. */
  fallbackAfter?: number;
  /** The WebSocket constructor; by default the browser's. */
  WebSocket?: new (url: string, protocols: string) => WebSocketLike;
  /** The EventSource constructor, for the event stream; by default the browser's. */
  EventSource?: new (url: string) => EventSourceLike;
  /** Sends the event stream's POSTs; by default the global fetch. */
  fetch?: (url: string, init: { method: string; headers: Record<string, string>; body: string }) =>
    Promise<{ ok: boolean; status: number }>;
  /** Timers and the time; by default the global ones. */
  clock?: Clock;
  /** A random number in [0, 1), for the jitter; by default Math.random. */
  random?: () => number;
}

export interface SubscribeOptions {
  /** A user joined or left this room. */
  onPresence?: (event: PresenceEvent) => void;
  /** Messages were missed and cannot be replayed. */
  onGap?: (event: GapEvent) => void;
  /**
   * The server has the subscription live: first, and again after every reconnect; the moment to
   * fetch state the messages then keep up to date.
   */
  onSubscribed?: (event: SubscribedEvent) => void;
  /** The server refused the subscription; it ends. */
  onError?: (error: EchowallError) => void;
  /** Resume from this position (one kept from an earlier page, say). */
  since?: Position;
}

/** A connection to a rooms endpoint that heals itself; made by {@link connect}. */
export interface Client {
  /** This client's id: the prefix of its publish ids. */
  readonly id: string;
  /** The connection's state. */
  readonly state: ConnectionState;
  /** The user the server named this connection, from its welcome; null before the first. */
  readonly user: string | null;
  /** The WebSocket URL the client connects to (its event stream is the same URL over http or https). */
  readonly url: string;
  /** The transport of the current connection, or of the next attempt. */
  readonly transport: "websocket" | "sse";
  /**
   * Subscribes to a room: `onMessage` gets each of its messages once and in order, across reconnects.
   * Throws a `closed` EchowallError after `close()`.
   */
  subscribe<T = unknown>(room: string, onMessage: (data: T, message: RoomMessage<T>) => void,
                         options?: SubscribeOptions): Subscription;
  /**
   * Publishes `data` (any JSON value) to a room. Resolves with the position the server stored it at;
   * rejects with an EchowallError (`forbidden`, `bad-request`, `queue-full`, `closed`) or a TypeError
   * for data that is not JSON.
   */
  publish(room: string, data: unknown): Promise<Published>;
  /** Listens to the client's events; returns a function that removes the listener. */
  on<K extends keyof ClientEvents>(type: K, listener: (event: ClientEvents[K]) => void): () => void;
  /** Closes the client for good; publishes not yet acknowledged are rejected with `closed`. */
  close(): void;
}

/** A subscription to one room. */
export interface Subscription {
  readonly room: string;
  /** The position of the last message of the room this client has seen, or null before the first. */
  readonly position: Position | null;
  /** How many users are present in the room, as far as this client knows. */
  readonly users: number;
  /** False once unsubscribed, refused by the server, or its client closed. */
  readonly active: boolean;
  /** Stops this subscription; the client unsubscribes from the room when it was the room's last. */
  unsubscribe(): void;
}

/**
 * An error of the client or one the server answered with. `code` is one of the protocol's
 * (`forbidden`, `bad-request`, `unknown-type`, `not-subscribed`) or the client's own (`queue-full`,
 * `closed`, `bad-message`).
 */
export declare class EchowallError extends Error {
  constructor(code: string, message: string, details?: { id?: string; room?: string });
  readonly name: "EchowallError";
  readonly code: "forbidden" | "bad-request" | "unknown-type" | "not-subscribed" | "queue-full" | "closed" | "bad-message" | (string & {});
  /** The publish this error answers. */
  readonly id?: string;
  /** The room this error is about. */
  readonly room?: string;
}
