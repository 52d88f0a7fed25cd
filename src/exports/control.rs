//! The face's cold calls: what changes the Manager or a socket ([`RawManager::control`], one
//! export for seven calls) and the Manager's settings ([`RawManager::setting`],
//! [`RawManager::set`]). Each export costs its shim in the wasm, its method in the glue and
//! V8's objects for it in every page; these calls are rare, so they share.

use core::time::Duration;
use wasm_bindgen::prelude::*;

use super::{error, millis, options, thrown, RawManager};
use crate::browser::{Setting, SettingKey};
use crate::client::time::whole_millis;
use crate::client::NspId;

/// What [`RawManager::control`] does.
#[wasm_bindgen]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// `manager.open()`.
    Open,
    /// `manager.engine.close()`: closes the connection; reconnection follows.
    CloseEngine,
    /// The face's `JSON.parse` refused the JSON of a `Message` event: the connection closes
    /// with "parse error" (the core leaves that check to the face, which parses every event).
    Malformed,
    /// Reports written packets of `nsp` as [`super::EventKind::Outgoing`] while `on`.
    NotifyOutgoing,
    /// Reports the engine's packets, drains and close while `on` (someone listens to them).
    NotifyEngine,
    /// `socket.connect()` of `nsp`.
    Connect,
    /// `socket.disconnect()` of `nsp`.
    Disconnect,
}

impl Control {
    /// The member numbered `n`.
    fn from_index(n: u32) -> Option<Self> {
        [
            Self::Open,
            Self::CloseEngine,
            Self::Malformed,
            Self::NotifyOutgoing,
            Self::NotifyEngine,
            Self::Connect,
            Self::Disconnect,
        ]
        .get(n as usize)
        .copied()
    }
}

#[wasm_bindgen]
impl RawManager {
    /// Does what `op` (a [`Control`]) names, for namespace `nsp` where it is about one, with
    /// `on` where it switches something; returns the `Error` to throw, or `undefined`. (Its
    /// error is a value rather than a `Result`, which wasm-bindgen returns as a pair that the
    /// glue unpacks; another number does nothing.)
    pub fn control(&self, op: u32, nsp: u32, on: bool) -> JsValue {
        let nsp = NspId(nsp);
        let result = match Control::from_index(op) {
            Some(Control::Connect) => self.client.connect(nsp),
            Some(Control::Disconnect) => self.client.disconnect(nsp),
            Some(Control::Open) => {
                self.client.open();
                Ok(())
            }
            Some(Control::CloseEngine) => {
                self.client.close_engine();
                Ok(())
            }
            Some(Control::Malformed) => {
                self.client.malformed();
                Ok(())
            }
            Some(Control::NotifyOutgoing) => {
                self.client.set_notify_outgoing(nsp, on);
                Ok(())
            }
            Some(Control::NotifyEngine) => {
                self.client.set_notify_engine(on);
                Ok(())
            }
            None => Ok(()),
        };
        thrown(result.map_err(error))
    }

    /// The value of the Manager setting `key` (a [`SettingKey`], exported as
    /// `ManagerSetting`), as socket.io-client's getters give it. (The key is a plain number:
    /// an enum parameter costs wasm-bindgen's check of its value and that check's error path
    /// in every method that takes one.)
    pub fn setting(&self, key: u32) -> JsValue {
        let Some(key) = SettingKey::from_index(key) else {
            return JsValue::UNDEFINED;
        };
        let ms = |d: Duration| JsValue::from(whole_millis(d) as f64);
        match self.client.setting(key) {
            Setting::Reconnection(on) => on.into(),
            Setting::ReconnectionAttempts(u32::MAX) => f64::INFINITY.into(),
            Setting::ReconnectionAttempts(n) => n.into(),
            Setting::ReconnectionDelay(d) | Setting::ReconnectionDelayMax(d) => ms(d),
            Setting::RandomizationFactor(f) => f.into(),
            Setting::Timeout(t) => t.map_or(JsValue::FALSE, ms),
        }
    }

    /// Changes a Manager setting as socket.io-client's setters do (`reconnection(v)` takes any
    /// value's truthiness, `timeout(false)` disables the timeout); a number setting given
    /// something else gives back the `TypeError` to throw (else `undefined`). `key`: a
    /// [`SettingKey`], as for [`RawManager::setting`]; another number changes nothing.
    pub fn set(&self, key: u32, value: JsValue) -> JsValue {
        match SettingKey::from_index(key) {
            Some(key) => thrown(self.change(key, value)),
            None => JsValue::UNDEFINED,
        }
    }
}

impl RawManager {
    /// [`RawManager::set`]'s work.
    fn change(&self, key: SettingKey, value: JsValue) -> Result<(), JsValue> {
        let number = || {
            value.as_f64().filter(|n| *n >= 0.0).ok_or_else(|| {
                JsValue::from(js_sys::TypeError::new(
                    "the value must be a non-negative number",
                ))
            })
        };
        let setting = match key {
            SettingKey::Reconnection => Setting::Reconnection(value.is_truthy()),
            SettingKey::ReconnectionAttempts => {
                Setting::ReconnectionAttempts(options::count(number()?))
            }
            SettingKey::ReconnectionDelay => Setting::ReconnectionDelay(millis(number()?)),
            SettingKey::ReconnectionDelayMax => Setting::ReconnectionDelayMax(millis(number()?)),
            SettingKey::RandomizationFactor => Setting::RandomizationFactor(number()?),
            SettingKey::Timeout if value.as_bool() == Some(false) => Setting::Timeout(None),
            SettingKey::Timeout => Setting::Timeout(Some(millis(number()?))),
        };
        self.client.set(setting);
        Ok(())
    }
}
