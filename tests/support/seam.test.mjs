// The seam between the core and the JS face: the event kinds, Manager settings and controls
// are defined once, in Rust (src/exports, src/browser), and exported; js/index.js names them.
// This fails when the two drift: a name the face uses that the core does not define, or a
// kind the face never handles.
// Runs after the release build (it reads pkg/).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ROOT } from "./spawn.mjs";

const face = fs.readFileSync(path.join(ROOT, "js/index.js"), "utf8");
// The glue module only defines its exports on import; nothing runs until `init`.
const glue = await import(path.join(ROOT, "pkg/socketio_wasm.js"));

/** The names used as `<prefix>.Name` in the face. */
function used(prefix) {
  return new Set([...face.matchAll(new RegExp(`\\b${prefix}\\.([A-Za-z]+)\\b`, "g"))].map((m) => m[1]));
}

/** The member names of an enum exported by wasm-bindgen (it maps names to numbers and back). */
function members(exported) {
  return Object.keys(exported).filter((k) => Number.isNaN(Number(k)));
}

test("every event kind the JS face names exists in the core, and the face handles every kind", () => {
  const kinds = members(glue.EventKind);
  assert.ok(kinds.length > 20, "EventKind is exported with its members");
  const names = used("K");
  for (const name of names) assert.ok(kinds.includes(name), `js/index.js uses EventKind.${name}, which the core does not define`);
  for (const kind of kinds) assert.ok(names.has(kind), `the core's EventKind.${kind} is not handled by js/index.js`);
});

test("every Manager setting the JS face names exists in the core, and each has its method", () => {
  const settings = members(glue.ManagerSetting);
  const names = used("ManagerSetting");
  assert.deepEqual([...names].sort(), [...settings].sort());
});

test("the face makes every control call the core defines, and no other", () => {
  const controls = members(glue.Control);
  assert.ok(controls.length >= 7, "Control is exported with its members");
  assert.deepEqual([...used("C")].sort(), [...controls].sort());
});

test("the face keeps no copy of the core's decisions", () => {
  // Reserved names, option defaults and error types come from the core.
  for (const copy of ["reserved event name", "20000", "TransportError", "ackTimeout", "retries"]) {
    assert.ok(!face.includes(copy), `js/index.js holds ${JSON.stringify(copy)}, a decision of the core`);
  }
});
