//! The persistent outbox's storage (`client/outbox.rs` decides; this only stores): IndexedDB
//! database `socketio-wasm`, store `outbox`, one record per kept emit under the key
//! `[tab, key, page, serial, id]`:
//! - `tab` keeps tabs apart: an id kept in the tab's `sessionStorage` (a reload keeps it, a new
//!   tab makes its own) and held with a Web Lock while the page lives, so that a duplicated tab,
//!   which inherits the same `sessionStorage`, takes a new id instead of sending the other's
//!   emits;
//! - `key` is the Manager's URL and the namespace;
//! - `page` (`performance.timeOrigin`) and `serial` (one per outbox opened on the page) order
//!   the records of successive pages and keep two Managers of one page apart; `id` is the core's.
//!
//! Records load sorted by key, which is the order they were emitted in. Restored records get
//! ids from [`RESTORED_ID_BASE`] (the JavaScript keeps their storage keys). The ops of one task
//! are written in one transaction at its end. A storage that is missing, refused, blocked or
//! full is reported once as a fault, and nothing more is written.

use crate::client::{Bytes, Json};
use crate::prelude::*;

use js_sys::{Array, JsString, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::client::outbox::RESTORED_ID_BASE;
use crate::client::{OutboxOp, OutboxReport, StorageFault, StoredEmit};

// The JavaScript numbers restored emits from 2^52, the core's `RESTORED_ID_BASE`.
const _: () = assert!(RESTORED_ID_BASE == 4_503_599_627_370_496);

#[wasm_bindgen(inline_js = "
let db, serial = 0;
const TAB = 'socketio-wasm:tab';
function claim(id) {
  return new Promise((resolve) => {
    if (!globalThis.navigator?.locks) return resolve(true);
    navigator.locks.request(TAB + ':' + id, { signal: AbortSignal.timeout(1000) }, () => {
      resolve(true);
      return new Promise(() => {});
    }).catch(() => resolve(false));
  });
}
async function tab() {
  let id = sessionStorage.getItem(TAB);
  if (id && await claim(id)) return id;
  id = crypto.randomUUID();
  sessionStorage.setItem(TAB, id);
  await claim(id);
  return id;
}
function open() {
  return db ??= new Promise((resolve, reject) => {
    const req = indexedDB.open('socketio-wasm', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('outbox');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('blocked'));
  });
}
const fault = (e) => (e?.name === 'QuotaExceededError' ? 2 : 1);
export function outbox_open(key, report) {
  const o = { key, report, ops: [], restored: new Map(), failed: false, ready: null };
  o.ready = (async () => {
    const [t, d] = await Promise.all([tab(), open()]);
    o.prefix = [t, key];
    o.page = [t, key, performance.timeOrigin, serial++];
    const range = IDBKeyRange.bound(o.prefix, [t, key, []]);
    const [keys, values] = await new Promise((resolve, reject) => {
      const store = d.transaction('outbox').objectStore('outbox');
      const k = store.getAllKeys(range), v = store.getAll(range);
      v.onsuccess = () => resolve([k.result, v.result]);
      v.onerror = () => reject(v.error);
    });
    const out = [];
    let corrupt = false;
    values.forEach((v, i) => {
      const ok = v && typeof v.data === 'string' && Array.isArray(v.bins) && v.bins.every((b) => b instanceof ArrayBuffer);
      if (!ok) { corrupt = true; o.ops.push(['delete', keys[i]]); return; }
      const id = 4503599627370496 + out.length;
      o.restored.set(id, keys[i]);
      out.push(id, v.data, !!v.retry, !!v.ack, v.bins.map((b) => new Uint8Array(b)));
    });
    report(out);
    if (corrupt) report(3);
    return d;
  })();
  o.ready.then(() => flush(o), (e) => fail(o, e));
  return o;
}
function fail(o, e) {
  if (o.failed) return;
  o.failed = true;
  o.report(fault(e));
}
function queue(o, op) {
  if (o.failed) return;
  if (o.ops.push(op) === 1) queueMicrotask(() => o.ready.then(() => flush(o), () => {}));
}
async function flush(o) {
  if (o.failed || !o.ops.length) return;
  const ops = o.ops.splice(0);
  try {
    const tx = (await o.ready).transaction('outbox', 'readwrite');
    const store = tx.objectStore('outbox');
    for (const [kind, a, b] of ops) {
      if (kind === 'put') store.put(b, [...o.page, a]);
      else if (kind === 'delete') store.delete(Array.isArray(a) ? a : o.restored.get(a) ?? [...o.page, a]);
      else store.delete(IDBKeyRange.bound(o.prefix, [...o.prefix, []]));
    }
    tx.onerror = tx.onabort = () => fail(o, tx.error);
  } catch (e) {
    fail(o, e);
  }
}
export function outbox_put(o, id, data, retry, ack, bins) {
  queue(o, ['put', id, { data, retry, ack, bins: bins.map((b) => b.slice().buffer) }]);
}
export function outbox_delete(o, id) {
  queue(o, ['delete', id]);
}
export function outbox_clear(o) {
  queue(o, ['clear']);
}
")]
extern "C" {
    /// Opens the outbox kept under `key` for this tab and loads it: calls `report` with
    /// `[id, data, retry, ack, [Uint8Array...], ...]` (the kept emits, oldest first), then with
    /// a fault code (1 unavailable, 2 full, 3 corrupt record) if one occurs, once.
    fn outbox_open(key: &str, report: &JsValue) -> JsValue;
    fn outbox_put(outbox: &JsValue, id: f64, data: &JsString, retry: bool, ack: bool, bins: Array);
    fn outbox_delete(outbox: &JsValue, id: f64);
    fn outbox_clear(outbox: &JsValue);
}

/// One namespace's outbox in storage; what storage reports goes to the callback given.
pub(crate) struct OutboxStore {
    handle: JsValue,
    _report: Closure<dyn FnMut(JsValue)>,
}

impl OutboxStore {
    /// Opens and loads the outbox under `key`; `on_report` gets what was loaded, then faults.
    pub(crate) fn open(key: &str, mut on_report: impl FnMut(OutboxReport) + 'static) -> Self {
        let report = Closure::<dyn FnMut(JsValue)>::new(move |value: JsValue| {
            on_report(decode(&value));
        });
        let handle = outbox_open(key, report.as_ref());
        Self {
            handle,
            _report: report,
        }
    }

    /// Carries out `op` (after the load, in order, in one transaction per task).
    pub(crate) fn apply(&self, op: OutboxOp) {
        match op {
            OutboxOp::Put(emit) => {
                let bins: Array = emit.attachments.iter().map(Bytes::own_copy).collect();
                let id = emit.id as f64;
                outbox_put(
                    &self.handle,
                    id,
                    &emit.data.to_js(),
                    emit.retry,
                    emit.wants_ack,
                    bins,
                );
            }
            OutboxOp::Delete(id) => outbox_delete(&self.handle, id as f64),
            OutboxOp::Clear => outbox_clear(&self.handle),
            // The load happens when the store opens.
            _ => {}
        }
    }
}

/// A report of `outbox_open`: a fault code, or the flat list of loaded emits.
fn decode(value: &JsValue) -> OutboxReport {
    if let Some(code) = value.as_f64() {
        return OutboxReport::Failed(match code as u8 {
            2 => StorageFault::Full,
            3 => StorageFault::Corrupt,
            _ => StorageFault::Unavailable,
        });
    }
    let Some(flat) = value.dyn_ref::<Array>() else {
        return OutboxReport::Failed(StorageFault::Corrupt);
    };
    let field = |i: u32| flat.get(i);
    let mut kept = Vec::new();
    let mut i = 0;
    while i + 5 <= flat.length() {
        let attachments = field(i + 4)
            .dyn_into::<Array>()
            .map(|bins| {
                bins.iter()
                    // The snippet made each one a `Uint8Array` (after checking it was stored
                    // as an `ArrayBuffer`).
                    .map(|b| Bytes::from_js(b.unchecked_into::<Uint8Array>()))
                    .collect()
            })
            .unwrap_or_default();
        kept.push(StoredEmit {
            id: field(i).as_f64().map_or(RESTORED_ID_BASE, |n| n as u64),
            // Not a string: empty, which the socket's check of kept emits drops as corrupt.
            data: Json::from_js(
                field(i + 1)
                    .dyn_into()
                    .unwrap_or_else(|_| JsString::from("")),
            ),
            attachments,
            retry: field(i + 2).as_bool().unwrap_or(false),
            wants_ack: field(i + 3).as_bool().unwrap_or(false),
        });
        i += 5;
    }
    OutboxReport::Loaded(kept)
}
