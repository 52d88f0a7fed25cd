//! Native runner of the parser benchmark: `parser-bench <cases.json>` (bench.js writes the file
//! and runs this). Prints one JSON object: `{"rows": [{"name", "ops_per_sec"}...]}`.
//!
//! Each row: calibrate a batch size to about 20 ms, then keep the best of 15 batches (on a shared
//! machine, other work only ever slows a batch down).
//! `BENCH_ONLY=<text>` runs only the rows whose name contains the text (for profiling).

use socketio_wasm_parser_bench::{Bench, Op, ENGINE_OPS};

/// This thread's CPU time in seconds: on a shared machine, time spent waiting for a core is not
/// counted (bench.js times the Node side the same way).
fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant libc knows.
    #[allow(unsafe_code)]
    unsafe {
        libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts);
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

/// Best operations per second of `run(n)`, which performs `n` operations.
fn measure(mut run: impl FnMut(u32) -> usize) -> f64 {
    let mut n = 1u32;
    loop {
        let start = cpu_seconds();
        std::hint::black_box(run(n));
        if cpu_seconds() - start > 0.02 || n >= 1 << 30 {
            break;
        }
        n *= 2;
    }
    (0..15)
        .map(|_| {
            let start = cpu_seconds();
            std::hint::black_box(run(n));
            f64::from(n) / (cpu_seconds() - start)
        })
        .fold(0.0, f64::max)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: parser-bench <cases.json>")?;
    let cases: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let mut bench = Bench::default();
    let mut rows = Vec::new();
    for case in cases["socket"].as_array().ok_or("no socket cases")? {
        let name = case["name"].as_str().ok_or("case without name")?;
        let text = case["text"].as_str().ok_or("case without text")?;
        let sizes: Vec<u32> = case["attachments"]
            .as_array()
            .ok_or("case without attachments")?
            .iter()
            .filter_map(|n| n.as_u64().and_then(|n| u32::try_from(n).ok()))
            .collect();
        let i = bench.add_case(name, text, &sizes)?;
        for (op, verb) in [
            (Op::SocketEncode(i), "encode"),
            (Op::SocketDecode(i), "decode"),
        ] {
            let row = format!("sio {verb} {name}");
            if row.contains(&only) {
                let rate = measure(|n| bench.run(op, n));
                rows.push(serde_json::json!({ "name": row, "ops_per_sec": rate }));
            }
        }
    }
    for (op, name) in ENGINE_OPS
        .into_iter()
        .filter(|(_, name)| name.contains(&only))
    {
        let rate = measure(|n| bench.run(op, n));
        rows.push(serde_json::json!({ "name": name, "ops_per_sec": rate }));
    }
    println!("{}", serde_json::json!({ "rows": rows }));
    Ok(())
}
