//! Emit flags (`socket.volatile()`, `socket.timeout(d)`) and the emits made with them.

use core::time::Duration;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::payload::Args;
use super::{AckRequest, Error, Socket};
use crate::client::EmitOptions;

/// Emit flags for the next emit: [`Socket::volatile`] and [`Socket::timeout`] return one.
///
/// ```no_run
/// # fn demo(socket: &socketio_wasm::api::Socket) {
/// socket.volatile().emit("cursor", &(10, 20)).ok();
/// # }
/// ```
pub struct Emitter<'a> {
    socket: &'a Socket,
    options: EmitOptions,
}

impl<'a> Emitter<'a> {
    pub(crate) fn new(socket: &'a Socket) -> Self {
        Self {
            socket,
            options: EmitOptions::default(),
        }
    }

    /// Drops the packet instead of buffering it when it cannot be written now.
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// socket.timeout(core::time::Duration::from_secs(1)).volatile().emit("ping", &()).ok();
    /// # }
    /// ```
    pub fn volatile(mut self) -> Self {
        self.options.volatile = true;
        self
    }

    /// The ack timeout of [`Emitter::emit_with_ack`].
    ///
    /// ```no_run
    /// # async fn demo(socket: &socketio_wasm::api::Socket) {
    /// let r = socket.volatile().timeout(core::time::Duration::from_secs(1)).emit_with_ack::<u8>("q", &()).await;
    /// # }
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// [`Socket::emit`] with these flags.
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// socket.volatile().emit("cursor", &(1, 2)).ok();
    /// # }
    /// ```
    pub fn emit<T: Serialize + ?Sized>(self, event: &str, data: &T) -> Result<(), Error> {
        let (data, attachments) = Args::one(Some(event), data)?.into_parts()?;
        self.socket
            .send(data, attachments, self.options)
            .map(|_| ())
    }

    /// [`Socket::emit_args`] with these flags.
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// socket.volatile().emit_args("move", &(1, 2)).ok();
    /// # }
    /// ```
    pub fn emit_args<T: Serialize + ?Sized>(self, event: &str, args: &T) -> Result<(), Error> {
        let (data, attachments) = Args::many(Some(event), args)?.into_parts()?;
        self.socket
            .send(data, attachments, self.options)
            .map(|_| ())
    }

    /// [`Socket::emit_with_ack`] with these flags.
    ///
    /// ```no_run
    /// # async fn demo(socket: &socketio_wasm::api::Socket) {
    /// let r: Result<u8, _> = socket.volatile().emit_with_ack("q", &()).await;
    /// # }
    /// ```
    pub fn emit_with_ack<R: DeserializeOwned>(
        self,
        event: &str,
        data: &impl Serialize,
    ) -> AckRequest<R> {
        let data = Args::one(Some(event), data).and_then(Args::into_parts);
        AckRequest::new(self.socket.clone(), data, self.options)
    }

    /// [`Socket::emit_with_ack_args`] with these flags.
    ///
    /// ```no_run
    /// # async fn demo(socket: &socketio_wasm::api::Socket) {
    /// let r: Result<u8, _> = socket.volatile().emit_with_ack_args("add", &(1, 2)).await;
    /// # }
    /// ```
    pub fn emit_with_ack_args<R: DeserializeOwned>(
        self,
        event: &str,
        args: &impl Serialize,
    ) -> AckRequest<R> {
        let data = Args::many(Some(event), args).and_then(Args::into_parts);
        AckRequest::new(self.socket.clone(), data, self.options)
    }
}
