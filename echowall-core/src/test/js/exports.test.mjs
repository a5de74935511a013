// The module's exports: the names the declaration file promises are the names the module has.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadClient } from "./fakes.mjs";

const client = await loadClient();
const declarations = readFileSync(new URL("../../main/resources/META-INF/echowall/echowall.d.ts", import.meta.url), "utf8");

test("echowall.d.ts declares exactly the values echowall.js exports", () => {
  const declared = [...declarations.matchAll(/^export declare (?:const|function|class) (\w+)/gm)].map((m) => m[1]);
  assert.deepEqual(declared.sort(), Object.keys(client).sort());
});

test("the defaults are frozen, with the values docs/reference/echowall-js.md states", () => {
  assert.ok(Object.isFrozen(client.DEFAULTS));
  assert.deepEqual({ ...client.DEFAULTS }, {
    retryBase: 500, retryCap: 30_000, stableAfter: 5_000, connectTimeout: 10_000, heartbeatTimeout: 10_000, queueLimit: 1_000,
    transport: "auto", fallbackAfter: 2,
  });
  assert.equal(client.PROTOCOL, "echowall.v1");
});
