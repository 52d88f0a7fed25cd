//! Running as one instance of several (`--redis URL --instance NAME`): the namespaces share their
//! rooms through Redis pub/sub (`socketioxide-redis`), so a broadcast made on one instance reaches
//! the sockets of the room on every instance. Each instance answers `whoami` with its name, which
//! lets a client (and the cluster tests) know where the load balancer sent it.
//!
//! socketioxide-redis speaks its own protocol: its instances cannot share rooms with official Node
//! servers using `@socket.io/redis-adapter`, so a cluster is of one server kind.

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, State};
use socketioxide_redis::drivers::redis::RedisDriver;
use socketioxide_redis::RedisAdapterCtr;

/// The name of this server instance, given to the builder with `with_state`.
#[derive(Debug, Clone)]
pub struct Instance(pub Arc<str>);

/// `whoami`: acks with the instance's name.
pub async fn whoami<A: Adapter>(State(instance): State<Instance>, ack: AckSender<A>) {
    let _ = ack.send(&(instance.0.as_ref(),));
}

/// The Redis URL with RESP3 asked for (the adapter's driver needs it), unless the URL already
/// chooses a protocol.
pub fn resp3_url(url: &str) -> String {
    if url.contains("protocol=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&protocol=resp3")
    } else {
        format!("{url}?protocol=resp3")
    }
}

/// Connects to Redis and returns the adapter's constructor, or why it could not.
pub async fn redis_adapter(url: &str) -> Result<RedisAdapterCtr<RedisDriver>, String> {
    let client = redis::Client::open(resp3_url(url)).map_err(|e| format!("--redis {url}: {e}"))?;
    RedisAdapterCtr::new_with_redis(&client)
        .await
        .map_err(|e| format!("cannot connect to Redis at {url}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::resp3_url;

    #[test]
    fn resp3_is_added_once() {
        assert_eq!(resp3_url("redis://h:1"), "redis://h:1?protocol=resp3");
        assert_eq!(
            resp3_url("redis://h:1/?db=2"),
            "redis://h:1/?db=2&protocol=resp3"
        );
        assert_eq!(
            resp3_url("redis://h?protocol=resp3"),
            "redis://h?protocol=resp3"
        );
    }
}
