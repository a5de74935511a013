// Several echowall.js clients publish numbered messages, paced, through a connection that the test
// (PublishesUnderCutsTest) cuts again and again, and each subscribes to the room from its start;
// prints, as one JSON object, what each publish was acknowledged with, the publishes that failed, what
// each client received (offsets, and data as "c/n") and the gaps it was told of, and how often the
// clients' connections opened.
//
// node --experimental-websocket publish-under-cuts.mjs MODULE_URL WS_URL ROOM EPOCH CLIENTS TOTAL EVERY_MS
//
// MODULE_URL is the client as the server serves it, WS_URL the endpoint (through the test's proxy),
// EPOCH the room's, empty so far.
// TOTAL messages are shared out evenly among the CLIENTS clients. Each message is {c, n}: the client's
// number and the message's number in that client's send order.

const [moduleUrl, wsUrl, room, epoch, clientsArg, totalArg, everyArg] = process.argv.slice(2);
const clients = Number(clientsArg);
const total = Number(totalArg);
const every = Number(everyArg);

const response = await fetch(moduleUrl);
if (!response.ok) {
  throw new Error(`${moduleUrl}: ${response.status}`);
}
const { connect } = await import("data:text/javascript;charset=utf-8," + encodeURIComponent(await response.text()));

const acks = [];
const failures = [];
const received = [];
/** How long a client waits, once its publishes are acknowledged, for the room's last message. */
const DRAIN_MILLIS = 30_000;
let opens = 0;
let drops = 0;
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(c) {
  const perClient = Math.floor(total / clients) + (c < total % clients ? 1 : 0);
  // Quick retries, as the test cuts often; a queue that never pushes a publish out, as this test is
  // about exactly once, not about the queue's bound.
  const client = connect(wsUrl, { retryBase: 50, retryCap: 500, queueLimit: perClient });
  client.on("state", (e) => {
    if (e.state === "open") {
      opens++;
    } else if (e.state === "connecting") {
      drops++;
    }
  });
  const seen = { c, offsets: [], data: [], gaps: [] };
  received.push(seen);
  let sawAll;
  const all = new Promise((resolve) => { sawAll = resolve; });
  client.subscribe(room, (data, message) => {
    seen.offsets.push(message.offset);
    seen.data.push(`${data.c}/${data.n}`);
    if (message.offset >= total) {
      sawAll();
    }
  }, { since: { epoch, offset: 0 }, onGap: (e) => seen.gaps.push(e.reason) });
  const pending = [];
  for (let n = 0; n < perClient; n++) {
    pending.push(client.publish(room, { c, n }).then(
        (position) => acks.push({ c, n, id: position.id, epoch: position.epoch, offset: position.offset }),
        (error) => failures.push(`client ${c}, message ${n}: ${error.code}: ${error.message}`)));
    if (n % 10 === 9) {
      await pause(every * 10); // timers are coarse: pace in small bursts
    }
  }
  await Promise.all(pending);
  await Promise.race([all, pause(DRAIN_MILLIS)]);
  client.close();
}

await Promise.all(Array.from({ length: clients }, (_, c) => run(c)));
process.stdout.write(JSON.stringify({ acks, failures, received, opens, drops }), () => process.exit(0));
