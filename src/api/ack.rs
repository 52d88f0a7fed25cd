//! Acknowledgements both ways: the future of an emit's answer, and the answer to the server's.

use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::Cell;
use core::future::{Future, IntoFuture};
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;

use futures_channel::oneshot;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::payload::{to_bytes, Args};
use super::socket::Socket;
use super::{Error, Payload};
use crate::browser::WeakClient;
use crate::client::{AckMode, EmitOptions, NspId};

/// An emit that wants the server's acknowledgement, not sent yet: set [`AckRequest::timeout`]
/// or [`AckRequest::volatile`], then `.await` it (which sends it) or call [`AckRequest::send`]
/// to send it at once and await the answer later.
///
/// ```no_run
/// # async fn demo(socket: socketio_wasm::api::Socket) -> Result<(), socketio_wasm::api::Error> {
/// use core::time::Duration;
/// let total: u32 = socket
///     .emit_with_ack("add", &(1, 2))
///     .timeout(Duration::from_secs(5))
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "an AckRequest sends nothing until it is awaited or sent"]
pub struct AckRequest<R> {
    socket: Socket,
    data: Result<(String, Vec<Vec<u8>>), Error>,
    options: EmitOptions,
    answer: PhantomData<fn() -> R>,
}

impl<R: DeserializeOwned> AckRequest<R> {
    pub(crate) fn new(
        socket: Socket,
        data: Result<(String, Vec<Vec<u8>>), Error>,
        options: EmitOptions,
    ) -> Self {
        Self {
            socket,
            data,
            options: EmitOptions {
                ack: AckMode::ErrorFirst,
                ..options
            },
            answer: PhantomData,
        }
    }

    /// Fails with [`Error::AckTimeout`] when no answer came within `timeout` (without it, the
    /// socket's `ack_timeout` applies, and without that it waits as long as it takes).
    ///
    /// ```no_run
    /// # async fn demo(socket: socketio_wasm::api::Socket) {
    /// use socketio_wasm::api::Error;
    /// let answer = socket
    ///     .emit_with_ack::<String>("slow", &())
    ///     .timeout(core::time::Duration::from_millis(200))
    ///     .await;
    /// assert_eq!(answer, Err(Error::AckTimeout));
    /// # }
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Drops the packet instead of buffering it when it cannot be written now; the answer
    /// then fails with [`Error::AckCut`].
    ///
    /// ```no_run
    /// # async fn demo(socket: socketio_wasm::api::Socket) {
    /// let _ = socket.emit_with_ack::<()>("cursor", &(10, 20)).volatile().await;
    /// # }
    /// ```
    pub fn volatile(mut self) -> Self {
        self.options.volatile = true;
        self
    }

    /// Sends the packet now; the future resolves with the answer, read as `R` by the arity
    /// rule of [`Payload::decode`].
    ///
    /// ```no_run
    /// # async fn demo(socket: socketio_wasm::api::Socket) -> Result<(), socketio_wasm::api::Error> {
    /// let first = socket.emit_with_ack::<u32>("record", &("k", 1)).send();
    /// let second = socket.emit_with_ack::<u32>("record", &("k", 2)).send();
    /// assert_eq!((first.await?, second.await?), (1, 2));
    /// # Ok(()) }
    /// ```
    pub fn send(self) -> AckFuture<R> {
        let result = self
            .data
            .and_then(|(data, attachments)| self.socket.send(data, attachments, self.options));
        let state = match result {
            Ok(Some(id)) => {
                let (tx, rx) = oneshot::channel();
                self.socket.inner.listeners.borrow_mut().acks.insert(id, tx);
                Ok(rx)
            }
            Ok(None) => Err(Error::AckCut),
            Err(e) => Err(e),
        };
        AckFuture {
            state: Some(state),
            answer: PhantomData,
        }
    }
}

impl<R: DeserializeOwned> IntoFuture for AckRequest<R> {
    type Output = Result<R, Error>;
    type IntoFuture = AckFuture<R>;

    fn into_future(self) -> AckFuture<R> {
        self.send()
    }
}

/// The answer to an emit: resolves once with the server's acknowledgement, read as `R`, or
/// the [`Error`] that means none will come.
///
/// ```no_run
/// # async fn demo(socket: socketio_wasm::api::Socket) -> Result<(), socketio_wasm::api::Error> {
/// let future: socketio_wasm::api::AckFuture<String> = socket.emit_with_ack("echo", &"hi").send();
/// assert_eq!(future.await?, "hi");
/// # Ok(()) }
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct AckFuture<R> {
    state: Option<Result<oneshot::Receiver<Result<Payload, Error>>, Error>>,
    answer: PhantomData<fn() -> R>,
}

impl<R: DeserializeOwned> Future for AckFuture<R> {
    type Output = Result<R, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Some(state) = self.state.as_mut() else {
            return Poll::Ready(Err(Error::Misuse(crate::client::ApiMisuse::UnknownSocket)));
        };
        let rx = match state {
            Ok(rx) => rx,
            Err(e) => {
                let e = e.clone();
                self.state = None;
                return Poll::Ready(Err(e));
            }
        };
        match Pin::new(rx).poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(result) => {
                self.state = None;
                // A dropped sender: the socket is gone.
                let answer = result.unwrap_or(Err(Error::AckCut));
                Poll::Ready(answer.and_then(|payload| payload.decode()))
            }
        }
    }
}

/// The answer to an event of the server that asked for an acknowledgement. The first
/// [`AckSender::send`] answers; later calls (from this or other listeners of the event) are
/// ignored, as with socket.io-client's ack function.
///
/// ```no_run
/// # fn demo(socket: &socketio_wasm::api::Socket) -> socketio_wasm::api::Subscription {
/// socket.on_with_ack("question", |n: u32, ack| {
///     if let Some(ack) = ack {
///         let _ = ack.send(&(n * 2));
///     }
/// })
/// # }
/// ```
#[derive(Clone)]
pub struct AckSender {
    client: WeakClient,
    nsp: NspId,
    id: u64,
    sent: Rc<Cell<bool>>,
}

impl AckSender {
    pub(crate) fn new(client: WeakClient, nsp: NspId, id: u64) -> Self {
        Self {
            client,
            nsp,
            id,
            sent: Rc::new(Cell::new(false)),
        }
    }

    /// Answers with `data` as one argument.
    ///
    /// ```no_run
    /// # fn demo(ack: socketio_wasm::api::AckSender) {
    /// ack.send(&"ok").ok();
    /// # }
    /// ```
    pub fn send<T: Serialize + ?Sized>(&self, data: &T) -> Result<(), Error> {
        self.answer(Args::one(None, data)?)
    }

    /// Answers with each element of `data` (a tuple) as an argument.
    ///
    /// ```no_run
    /// # fn demo(ack: socketio_wasm::api::AckSender) {
    /// ack.send_args(&(42, "answer")).ok();
    /// # }
    /// ```
    pub fn send_args<T: Serialize + ?Sized>(&self, data: &T) -> Result<(), Error> {
        self.answer(Args::many(None, data)?)
    }

    fn answer(&self, args: Args) -> Result<(), Error> {
        if self.sent.replace(true) {
            return Ok(());
        }
        let (data, attachments) = args.into_parts()?;
        let gone = Error::Misuse(crate::client::ApiMisuse::UnknownSocket);
        let client = self.client.upgrade().ok_or_else(|| gone.clone())?;
        client
            .ack(self.nsp, self.id, data.into(), to_bytes(attachments))
            .map_err(|_| gone)
    }
}
