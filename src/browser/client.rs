//! The client handle: one Manager running in the browser, with typed methods. The JavaScript
//! exports (`src/exports`) and the Rust API (`src/api/`) are both faces over it; neither
//! reaches into the runtime or its Manager, and every decision stays in the core.

use crate::client::{Bytes, Json};
use crate::prelude::*;
use alloc::rc::{Rc, Weak};
use core::cell::RefCell;
use core::time::Duration;

use super::imports::session_entry;
use super::runtime::{drive, BrowserOptions, EventSink, Runtime};
use crate::client::{
    ApiMisuse, BufferedPacket, EmitOptions, Manager, ManagerConfig, NspId, StoredEmit,
    TransportKind,
};

/// A Manager setting that can change after it was made (socket.io-client's `reconnection(v)`,
/// `reconnectionAttempts(v)`, … methods), with its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Setting {
    /// `reconnection`.
    Reconnection(bool),
    /// `reconnectionAttempts` (`u32::MAX`: unlimited).
    ReconnectionAttempts(u32),
    /// `reconnectionDelay`.
    ReconnectionDelay(Duration),
    /// `reconnectionDelayMax`.
    ReconnectionDelayMax(Duration),
    /// `randomizationFactor`, 0 to 1.
    RandomizationFactor(f64),
    /// `timeout` (`None`: no opening timeout).
    Timeout(Option<Duration>),
}

/// Which setting to read (a `Setting`). Exported as `ManagerSetting`: the JS face names its
/// members (`ManagerSetting.Timeout`) and passes their numbers to `RawManager.setting`/`set`.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = ManagerSetting)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKey {
    /// `reconnection` (boolean).
    Reconnection,
    /// `reconnectionAttempts` (number, `Infinity` for no limit).
    ReconnectionAttempts,
    /// `reconnectionDelay` (ms).
    ReconnectionDelay,
    /// `reconnectionDelayMax` (ms).
    ReconnectionDelayMax,
    /// `randomizationFactor` (0 to 1).
    RandomizationFactor,
    /// `timeout` (ms, or `false` for none).
    Timeout,
}

impl SettingKey {
    /// The member numbered `n`.
    pub(crate) fn from_index(n: u32) -> Option<Self> {
        [
            Self::Reconnection,
            Self::ReconnectionAttempts,
            Self::ReconnectionDelay,
            Self::ReconnectionDelayMax,
            Self::RandomizationFactor,
            Self::Timeout,
        ]
        .get(n as usize)
        .copied()
    }
}

/// Why a call into the client did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallError {
    /// The caller's mistake, as the core judged it.
    Misuse(ApiMisuse),
    /// The client was busy handling an input (a call from inside the driver itself; listeners
    /// are always called after it is released, so they never see this).
    Busy,
}

impl CallError {
    /// A short English description.
    pub(crate) fn as_str(&self) -> &'static str {
        match self {
            Self::Misuse(misuse) => misuse.as_str(),
            Self::Busy => "the client was called while it was handling an input",
        }
    }
}

impl From<ApiMisuse> for CallError {
    fn from(misuse: ApiMisuse) -> Self {
        Self::Misuse(misuse)
    }
}

/// One Manager and its browser runtime. Cloning gives another handle to the same Manager.
#[derive(Clone)]
pub(crate) struct Client {
    rt: Rc<RefCell<Runtime>>,
}

/// A handle that does not keep the client alive (for what the client itself holds, such as
/// its event sink: no reference cycle).
#[derive(Clone)]
#[cfg_attr(not(feature = "api"), allow(dead_code))]
pub(crate) struct WeakClient(Weak<RefCell<Runtime>>);

#[cfg_attr(not(feature = "api"), allow(dead_code))]
impl WeakClient {
    /// The client, while some [`Client`] still holds it.
    pub(crate) fn upgrade(&self) -> Option<Client> {
        self.0.upgrade().map(|rt| Client { rt })
    }
}

impl Client {
    /// A closed Manager with `config`; its events go to the sink `make_sink` returns.
    pub(crate) fn new(
        config: ManagerConfig,
        options: BrowserOptions,
        make_sink: impl FnOnce(WeakClient) -> EventSink,
    ) -> Self {
        // Seeding the core once is the driver's job; the core itself never reads randomness.
        #[allow(clippy::disallowed_methods)]
        let seed = (js_sys::Math::random() * 9e15) as u64;
        let manager = Manager::new(config, seed);
        Self {
            rt: Runtime::new(manager, options, |rt| make_sink(WeakClient(rt))),
        }
    }

    /// A handle that does not keep the client alive.
    #[cfg(feature = "api")]
    pub(crate) fn downgrade(&self) -> WeakClient {
        WeakClient(Rc::downgrade(&self.rt))
    }

    /// Feeds one user command; `Busy` when the runtime is handling an input already.
    fn call<R>(
        &self,
        input: impl FnOnce(&mut Manager, crate::client::Instant) -> R,
    ) -> Result<R, CallError> {
        drive(&self.rt, None, input).ok_or(CallError::Busy)
    }

    /// Reads the Manager's state (a default while it is busy, which listeners never see).
    pub(crate) fn read<R: Default>(&self, f: impl FnOnce(&Manager) -> R) -> R {
        self.rt
            .try_borrow()
            .map(|rt| f(rt.manager()))
            .unwrap_or_default()
    }

    // ---- the Manager -----------------------------------------------------------------------

    /// `manager.open()`.
    pub(crate) fn open(&self) {
        let _ = self.call(|m, now| m.open(now));
    }

    /// Closes the connection and stops reconnecting.
    #[cfg(feature = "api")]
    pub(crate) fn close(&self) {
        let _ = self.call(|m, now| m.close_all(now));
    }

    /// `manager.engine.close()`: closes the connection; reconnection follows.
    pub(crate) fn close_engine(&self) {
        let _ = self.call(|m, now| m.close_engine(now));
    }

    /// The face could not parse an event's JSON ([`Manager::malformed`]).
    pub(crate) fn malformed(&self) {
        let _ = self.call(|m, now| m.malformed(now));
    }

    /// Changes a setting.
    pub(crate) fn set(&self, setting: Setting) {
        let _ = self.call(|m, _| match setting {
            Setting::Reconnection(on) => m.set_reconnection(on),
            Setting::ReconnectionAttempts(n) => m.set_reconnection_attempts(n),
            Setting::ReconnectionDelay(d) => m.set_reconnection_delay(d),
            Setting::ReconnectionDelayMax(d) => m.set_reconnection_delay_max(d),
            Setting::RandomizationFactor(f) => m.set_randomization_factor(f.clamp(0.0, 1.0)),
            Setting::Timeout(t) => m.set_timeout(t),
        });
    }

    /// A setting's value in force.
    pub(crate) fn setting(&self, key: SettingKey) -> Setting {
        let pick = |c: &ManagerConfig| match key {
            SettingKey::Reconnection => Setting::Reconnection(c.reconnection),
            SettingKey::ReconnectionAttempts => {
                Setting::ReconnectionAttempts(c.reconnection_attempts)
            }
            SettingKey::ReconnectionDelay => Setting::ReconnectionDelay(c.reconnection_delay),
            SettingKey::ReconnectionDelayMax => {
                Setting::ReconnectionDelayMax(c.reconnection_delay_max)
            }
            SettingKey::RandomizationFactor => Setting::RandomizationFactor(c.randomization_factor),
            SettingKey::Timeout => Setting::Timeout(c.timeout),
        };
        match self.rt.try_borrow() {
            Ok(rt) => pick(rt.manager().config()),
            // Only while busy, which listeners never see.
            Err(_) => pick(&ManagerConfig::default()),
        }
    }

    /// Reports the Engine.IO session's packets, drains and close as events while `on`.
    pub(crate) fn set_notify_engine(&self, on: bool) {
        let _ = self.call(|m, _| m.set_notify_engine(on));
    }

    /// The transport in use, when a connection exists.
    pub(crate) fn transport(&self) -> Option<TransportKind> {
        self.read(Manager::transport)
    }

    /// Whether the Manager is reconnecting.
    #[cfg(feature = "api")]
    pub(crate) fn is_reconnecting(&self) -> bool {
        self.read(Manager::is_reconnecting)
    }

    /// Drops every transport and timer; the client is unusable afterwards.
    #[cfg(feature = "api")]
    pub(crate) fn shutdown(&self) {
        if let Ok(mut rt) = self.rt.try_borrow_mut() {
            rt.shutdown();
        }
    }

    // ---- namespace sockets -----------------------------------------------------------------

    /// The socket of namespace `name` (made if needed). With `ask_auth`, its CONNECTs wait
    /// for [`Client::provide_auth`], asked for by `Event::AuthRequest` before every CONNECT.
    pub(crate) fn socket(&self, name: &str, ask_auth: bool) -> Result<NspId, CallError> {
        self.call(|m, _| {
            let nsp = m.socket(name, None);
            m.set_auth_deferred(nsp, ask_auth);
            if m.config().recover_after_reload {
                if let Some(kept) = m.session_key(nsp).and_then(|key| session_entry(&key, None)) {
                    m.restore_session(nsp, &kept);
                }
            }
            nsp
        })
    }

    /// How long until the next reconnection attempt, while one is scheduled.
    #[cfg(feature = "api")]
    pub(crate) fn reconnect_delay(&self) -> Option<Duration> {
        let rt = self.rt.try_borrow().ok()?;
        let (at, wake) = rt.manager().next_wake()?;
        (wake == crate::client::Wake::ReconnectDelay).then(|| at.saturating_since(rt.now()))
    }

    /// Sets the Socket options `retries` and `ackTimeout` of `nsp`.
    pub(crate) fn configure_socket(&self, nsp: NspId, retries: Option<u32>, ack: Option<Duration>) {
        let _ = self.call(|m, _| m.set_socket_options(nsp, retries, ack));
    }

    /// Answers an auth request of `nsp` with `auth` (JSON object text).
    pub(crate) fn provide_auth(&self, nsp: NspId, auth: Option<String>) {
        let _ = self.call(|m, now| m.provide_auth(now, nsp, auth));
    }

    /// Reports the packets `nsp` writes as events while `on` (outgoing listeners).
    pub(crate) fn set_notify_outgoing(&self, nsp: NspId, on: bool) {
        let _ = self.call(|m, _| m.set_notify_outgoing(nsp, on));
    }

    /// `socket.connect()`.
    pub(crate) fn connect(&self, nsp: NspId) -> Result<(), CallError> {
        Ok(self.call(|m, now| m.connect(now, nsp))??)
    }

    /// `socket.disconnect()`.
    pub(crate) fn disconnect(&self, nsp: NspId) -> Result<(), CallError> {
        Ok(self.call(|m, now| m.disconnect(now, nsp))??)
    }

    /// Emits `data` (the JSON array `[name, ...args]`, binary as placeholders numbered in
    /// `attachments` order, its name checked: [`crate::client::check_event_name`]). Returns
    /// the handle of the ack callback when one is wanted. `last`: no other emit follows in
    /// this batch, so its frames need not wait for the task's end.
    pub(crate) fn emit(
        &self,
        nsp: NspId,
        data: Json,
        attachments: Vec<Bytes>,
        options: EmitOptions,
        last: bool,
    ) -> Result<Option<u64>, CallError> {
        if last {
            self.write_at_once(true);
        }
        let sent = self.call(|m, now| m.emit(now, nsp, data, attachments, options));
        if last {
            self.write_at_once(false);
        }
        Ok(sent??.0)
    }

    /// [`Runtime::write_at_once`], unless the runtime is busy (then the call refuses anyway).
    fn write_at_once(&self, at_once: bool) {
        if let Ok(mut rt) = self.rt.try_borrow_mut() {
            rt.write_at_once(at_once);
        }
    }

    /// [`Client::emit`], also telling what happened to the packet (a dropped volatile packet's
    /// ack will never come).
    #[cfg(feature = "api")]
    pub(crate) fn emit_with_outcome(
        &self,
        nsp: NspId,
        data: Json,
        attachments: Vec<Bytes>,
        options: EmitOptions,
    ) -> Result<(Option<u64>, crate::client::EmitOutcome), CallError> {
        Ok(self.call(|m, now| m.emit(now, nsp, data, attachments, options))??)
    }

    /// Answers the server's event `id` on `nsp` with `data` (a JSON array of arguments).
    pub(crate) fn ack(
        &self,
        nsp: NspId,
        id: u64,
        data: Json,
        attachments: Vec<Bytes>,
    ) -> Result<(), CallError> {
        Ok(self.call(|m, now| m.ack(now, nsp, id, data, attachments))??)
    }

    /// The packets waiting in the send buffer of `nsp`, oldest first.
    pub(crate) fn send_buffer(&self, nsp: NspId) -> Vec<BufferedPacket> {
        self.read(|m| m.send_buffer(nsp))
    }

    /// How long until the next reconnection attempt, while one waits in its delay.
    pub(crate) fn next_attempt_in(&self) -> Option<Duration> {
        self.call(|m, now| m.next_attempt_in(now)).ok().flatten()
    }

    /// The emits of `nsp` kept in the persistent outbox that still wait.
    pub(crate) fn outbox(&self, nsp: NspId) -> Vec<StoredEmit> {
        self.read(|m| m.outbox(nsp))
    }

    /// Keeps only the packets numbered `keep` in the send buffer of `nsp`.
    pub(crate) fn retain_send_buffer(&self, nsp: NspId, keep: &[u64]) {
        let _ = self.call(|m, _| m.retain_send_buffer(nsp, keep));
    }

    /// Whether `nsp` is connected.
    #[cfg(feature = "api")]
    pub(crate) fn is_connected(&self, nsp: NspId) -> bool {
        self.read(|m| m.is_connected(nsp))
    }

    /// Whether `nsp` will connect or reconnect.
    #[cfg(feature = "api")]
    pub(crate) fn is_active(&self, nsp: NspId) -> bool {
        self.read(|m| m.is_active(nsp))
    }

    /// Whether the last CONNECT of `nsp` recovered its session.
    #[cfg(feature = "api")]
    pub(crate) fn is_recovered(&self, nsp: NspId) -> bool {
        self.read(|m| m.is_recovered(nsp))
    }

    /// The namespace session id of `nsp`, while connected.
    pub(crate) fn socket_id(&self, nsp: NspId) -> Option<String> {
        self.read(|m| m.socket_id(nsp).map(str::to_owned))
    }
}
