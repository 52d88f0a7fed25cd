//! The Rust API's side of `npm run bench` (bench/run.mjs, metric `rustApi`): the same emit loop
//! and sequential ack round trips as the JS rows, made through `socketio_wasm::api` against the
//! bench server's `/bench` namespace over WebSocket. Times come from `performance.now()`.

use futures_util::StreamExt;
use serde::Serialize;
use socketio_wasm::api::{Error, Manager, Socket};
use socketio_wasm::client::TransportKind;
use wasm_bindgen::prelude::*;

/// The payload of each `count` emit (as the JS rows' `{ i, text: "hello" }`).
#[derive(Serialize)]
struct Count<'a> {
    i: u32,
    text: &'a str,
}

fn now() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| {
            let now = js_sys::Reflect::get(&p, &"now".into()).ok()?;
            js_sys::Function::from(now).call0(&p).ok()?.as_f64()
        })
        .unwrap_or(0.0)
}

fn js_error(e: Error) -> JsValue {
    JsValue::from_str(&e.to_string())
}

async fn connect() -> Result<Socket, JsValue> {
    let socket = Manager::builder("/bench")
        .transports(&[TransportKind::WebSocket])
        .reconnection(false)
        .force_new(true)
        .connect()
        .map_err(js_error)?;
    socket.wait_connected().await.map_err(js_error)?;
    Ok(socket)
}

/// `n` emits of `count` in one synchronous loop; resolves `[loop ms, loop start to the server's
/// "counted" ms]`.
#[wasm_bindgen(js_name = emitBench)]
pub async fn emit_bench(n: u32) -> Result<Vec<f64>, JsValue> {
    let socket = connect().await?;
    let mut counted = socket.stream::<u32>("counted");
    let _armed: u32 = socket.emit_with_ack("expect", &n).await.map_err(js_error)?;
    let t0 = now();
    for i in 0..n {
        socket
            .emit("count", &Count { i, text: "hello" })
            .map_err(js_error)?;
    }
    let t1 = now();
    counted.next().await;
    let t2 = now();
    socket.disconnect();
    Ok(vec![t1 - t0, t2 - t0])
}

/// `n` sequential `emit_with_ack("echo", i)`; resolves the round trips in ms, sorted.
#[wasm_bindgen(js_name = ackBench)]
pub async fn ack_bench(n: u32) -> Result<Vec<f64>, JsValue> {
    let socket = connect().await?;
    let mut lat = Vec::with_capacity(n as usize);
    for i in 0..n {
        let t = now();
        let answer: u32 = socket.emit_with_ack("echo", &i).await.map_err(js_error)?;
        lat.push(now() - t);
        if answer != i {
            return Err(JsValue::from_str(&format!("echo {i} answered {answer}")));
        }
    }
    socket.disconnect();
    lat.sort_by(f64::total_cmp);
    Ok(lat)
}
