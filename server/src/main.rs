//! `socketio-wasm-server`: the reference Socket.IO server of socketio-wasm.
//!
//! It serves the demo page and the built package as static files, the demo namespace, the demo
//! chat (`/chat`, always on: `chat.rs`), and with `--test` the test namespaces and `/control/*`
//! endpoints that the browser and Node tests use (the same contract as
//! `tests/servers/node-server.mjs`, which runs the official Node server).
//!
//! When it accepts connections it prints exactly one line on stdout,
//! `LISTENING http://127.0.0.1:<port>`, and nothing else; it exits on SIGTERM or SIGINT.
//!
//! It runs on a current-thread runtime on purpose: socketioxide spawns one task per incoming
//! event, and one thread runs them in arrival order, as the Node server does; a multi-thread
//! runtime could reorder the effects of consecutive events (echoes, records).

mod chat;
mod cluster;
mod control;
mod demo;
mod payload;
mod static_files;
mod testns;
mod upgrades;

use std::future::Future;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use socketioxide::adapter::Adapter;
use socketioxide::{SocketIo, SocketIoBuilder, TransportType};
use socketioxide_core::adapter::DefinedAdapter;
use socketioxide_redis::RedisAdapter;
use tower_http::cors::CorsLayer;

use crate::testns::Records;

/// How long open connections get to close after a termination signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Packets a socket may have queued before an emit fails with "channel full" (and the packet
/// is dropped). `echo` answers with two packets, so a client's burst of 20,000 concurrent
/// `emitWithAck("echo")` queues up to 40,000; the official Node server has no such cap.
const MAX_BUFFERED_PACKETS: usize = 65_536;

const USAGE: &str = "\
usage: socketio-wasm-server [options]
  --host ADDR            address to bind (default 127.0.0.1)
  --port N               port (default 3000; 0 picks a free one)
  --root DIR             static files root (default: current directory); / is DIR/www/index.html
  --test                 enable the test namespaces and /control/* endpoints
  --ping-interval MS     Engine.IO pingInterval (default 25000)
  --ping-timeout MS      Engine.IO pingTimeout (default 20000)
  --max-payload BYTES    Engine.IO maxPayload (default 1000000)
  --transports LIST      polling,websocket (default both)
  --redis URL            share rooms with the other instances through Redis (redis://HOST:PORT)
  --instance NAME        this instance's name, the answer to `whoami` (default main)
";

/// The command line, parsed.
#[derive(Debug, Clone)]
struct Config {
    host: IpAddr,
    port: u16,
    root: PathBuf,
    test: bool,
    ping_interval: Duration,
    ping_timeout: Duration,
    max_payload: u64,
    polling: bool,
    websocket: bool,
    redis: Option<String>,
    instance: String,
}

impl Config {
    /// Parses `--flag value` and `--flag=value` arguments.
    fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut config = Self {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 3000,
            root: PathBuf::from("."),
            test: false,
            ping_interval: Duration::from_millis(25_000),
            ping_timeout: Duration::from_millis(20_000),
            max_payload: 1_000_000,
            polling: true,
            websocket: true,
            redis: None,
            instance: "main".to_owned(),
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
                None => (arg, None),
            };
            if flag == "--test" {
                config.test = true;
                continue;
            }

            if flag == "--help" || flag == "-h" {
                return Err(String::new());
            }
            let value = inline
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))?;
            let bad = |what: &str| format!("{flag}: {what} expected, got {value:?}");
            match flag.as_str() {
                "--host" => config.host = value.parse().map_err(|_| bad("an IP address"))?,
                "--port" => config.port = value.parse().map_err(|_| bad("a port"))?,
                "--root" => config.root = PathBuf::from(&value),
                "--redis" => config.redis = Some(value),
                "--instance" => config.instance = value,
                "--ping-interval" => {
                    config.ping_interval = millis(&value).ok_or_else(|| bad("ms"))?
                }
                "--ping-timeout" => {
                    config.ping_timeout = millis(&value).ok_or_else(|| bad("ms"))?
                }
                "--max-payload" => {
                    config.max_payload = value.parse().map_err(|_| bad("a byte count"))?;
                }
                "--transports" => {
                    config.polling = false;
                    config.websocket = false;
                    for t in value.split(',').map(str::trim) {
                        match t {
                            "polling" => config.polling = true,
                            "websocket" => config.websocket = true,
                            _ => return Err(bad("polling and/or websocket")),
                        }
                    }
                }
                _ => return Err(format!("unknown option {flag}")),
            }
        }
        Ok(config)
    }
}

/// A duration in milliseconds from its decimal text.
fn millis(text: &str) -> Option<Duration> {
    text.parse().ok().map(Duration::from_millis)
}

/// The Socket.IO settings and shared state every instance gets, on the local adapter.
fn builder(config: &Config, records: Arc<Records>) -> SocketIoBuilder {
    let ws_max = usize::try_from(config.max_payload).unwrap_or(usize::MAX);
    let builder = SocketIo::builder()
        .ping_interval(config.ping_interval)
        .ping_timeout(config.ping_timeout)
        .max_payload(config.max_payload)
        .ws_max_message_size(ws_max)
        .ws_max_frame_size(ws_max)
        .max_buffer_size(MAX_BUFFERED_PACKETS)
        .with_state(records)
        .with_state(Arc::new(chat::Chat::default()))
        .with_state(cluster::Instance(config.instance.as_str().into()));
    match (config.polling, config.websocket) {
        (true, false) => builder.transports([TransportType::Polling]),
        (false, true) => builder.transports([TransportType::Websocket]),
        _ => builder,
    }
}

/// Builds the Socket.IO layer and the whole HTTP app on adapter `A`. Also returns each
/// namespace's adapter initialisation, to await before accepting connections.
fn app<A: Adapter + DefinedAdapter>(
    config: &Config,
    builder: SocketIoBuilder<A>,
    records: Arc<Records>,
) -> (Router, SocketIo<A>, Vec<A::InitRes>) {
    let (layer, io) = builder.build_layer();

    let mut inits = if config.test {
        testns::register(&io)
    } else {
        vec![demo::register(&io)]
    };
    inits.push(chat::register(&io));

    let mut router = static_files::router(&config.root);
    if config.test {
        router = router.merge(control::router(io.clone(), records.clone()));
    }
    let mut router = router.layer(layer);
    if config.test {
        router = router.layer(axum::middleware::from_fn_with_state(
            records,
            control::record_request,
        ));
    }
    if !config.websocket {
        router = router.layer(axum::middleware::from_fn(upgrades::strip_websocket_upgrade));
    }
    (router.layer(CorsLayer::very_permissive()), io, inits)
}

/// Installs the SIGTERM and SIGINT handlers now (a test may signal as soon as it reads the
/// LISTENING line) and returns a future that resolves on either.
#[cfg(unix)]
fn termination() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}

/// Ctrl-C only, off Unix.
#[cfg(not(unix))]
fn termination() -> std::io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let config = match Config::parse(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(message) if message.is_empty() => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("socketio-wasm-server: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let records = Arc::new(Records::default());
    let builder = builder(&config, records.clone());
    let Some(url) = config.redis.clone() else {
        let (app, io, _local_inits) = app(&config, builder, records);
        return serve(&config, app, io).await;
    };
    let adapter = match cluster::redis_adapter(&url).await {
        Ok(adapter) => adapter,
        Err(e) => {
            eprintln!("socketio-wasm-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let builder = builder.with_adapter::<RedisAdapter<_>>(adapter);
    let (app, io, inits) = app(&config, builder, records);
    for init in inits {
        if let Err(e) = init.await {
            eprintln!("socketio-wasm-server: the Redis adapter did not start: {e}");
            return ExitCode::FAILURE;
        }
    }
    serve(&config, app, io).await
}

/// Listens, prints the LISTENING line and serves until a termination signal.
async fn serve<A: Adapter>(config: &Config, app: Router, io: SocketIo<A>) -> ExitCode {
    let listener =
        match tokio::net::TcpListener::bind(SocketAddr::new(config.host, config.port)).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!(
                    "socketio-wasm-server: cannot listen on {}:{}: {e}",
                    config.host, config.port
                );
                return ExitCode::FAILURE;
            }
        };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("socketio-wasm-server: no local address: {e}");
            return ExitCode::FAILURE;
        }
    };
    let terminated = match termination() {
        Ok(terminated) => terminated,
        Err(e) => {
            eprintln!("socketio-wasm-server: cannot handle signals: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    if writeln!(stdout, "LISTENING http://{addr}")
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }

    let stopping = Arc::new(tokio::sync::Notify::new());
    let stop = stopping.clone();
    let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
        terminated.await;
        stop.notify_one();
        io.close().await;
    });
    tokio::select! {
        result = serve => {
            if let Err(e) = result {
                eprintln!("socketio-wasm-server: {e}");
                return ExitCode::FAILURE;
            }
        }
        // Long-polling requests and upgraded connections may outlive the graceful shutdown.
        () = async {
            stopping.notified().await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => {}
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        Config::parse(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn defaults() {
        let c = parse(&[]).expect("no arguments is valid");
        assert_eq!(c.port, 3000);
        assert_eq!(c.host, IpAddr::from([127, 0, 0, 1]));
        assert!(!c.test && c.polling && c.websocket);
        assert_eq!(c.max_payload, 1_000_000);
    }

    #[test]
    fn flags_with_and_without_equals() {
        let c = parse(&[
            "--port=0",
            "--test",
            "--ping-interval",
            "300",
            "--transports",
            "polling",
        ])
        .expect("valid flags");
        assert_eq!(c.port, 0);
        assert!(c.test);
        assert_eq!(c.ping_interval, Duration::from_millis(300));
        assert!(c.polling && !c.websocket);
    }

    #[test]
    fn rejects_unknown_and_malformed() {
        assert!(parse(&["--nope"]).is_err());
        assert!(parse(&["--port", "x"]).is_err());
        assert!(parse(&["--transports", "carrier-pigeon"]).is_err());
        assert!(parse(&["--port"]).is_err());
    }
}
