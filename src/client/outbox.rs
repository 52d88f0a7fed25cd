//! The persistent outbox (`persist_outbox`): emits that wait — in the send buffer while
//! disconnected, or in the `retries` queue until acknowledged — are also kept in storage that
//! survives a reload (IndexedDB in the browser), so that a reloaded page sends them once, in
//! order, before anything new. The core decides what is kept and when it is done
//! ([`OutboxOp`]s in [`Command::Outbox`](crate::client::Command::Outbox)); the driver only
//! stores, and reports back what it loaded or why it could not ([`OutboxReport`]).
//!
//! Ack functions do not survive a reload: a restored emit that wanted an answer reports it as
//! [`Event::OutboxAck`](crate::client::Event::OutboxAck), by its [`StoredEmit::id`].

use crate::client::Bytes;
use crate::prelude::*;

/// Ids the driver gives restored emits start here; the core numbers the emits of this page
/// from 0, so the two never meet (and both stay exact as JavaScript numbers).
pub const RESTORED_ID_BASE: u64 = 1 << 52;

/// One kept emit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEmit {
    /// Its id: numbered by the core for this page's emits, from [`RESTORED_ID_BASE`] by the
    /// driver for restored ones.
    pub id: u64,
    /// `[name, ...args]` as JSON text, binary as placeholders.
    pub data: crate::client::Json,
    /// The binary attachments.
    pub attachments: Vec<Bytes>,
    /// It went through the `retries` queue (at least once, until acknowledged).
    pub retry: bool,
    /// It asked for an acknowledgement.
    pub wants_ack: bool,
}

/// What the driver must do with the outbox of one namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutboxOp {
    /// Read what this tab kept for the namespace, oldest first, and answer with
    /// [`OutboxReport::Loaded`] (and [`OutboxReport::Failed`] for what could not be read).
    Load,
    /// Keep this emit.
    Put(StoredEmit),
    /// The emit with this id is done (sent, acknowledged, given up, or removed by the app).
    Delete(u64),
    /// Forget every kept emit of the namespace (storage failed: what it holds may be stale).
    Clear,
}

/// What the driver reports about the outbox of one namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutboxReport {
    /// The answer to [`OutboxOp::Load`]: the emits kept before the reload, oldest first.
    Loaded(Vec<StoredEmit>),
    /// Storage failed; from now on the outbox of this page lives in memory only.
    Failed(StorageFault),
}

/// Why the persistent outbox could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StorageFault {
    /// There is no storage, or it was refused or blocked (private mode, policy, an open
    /// upgrade elsewhere).
    Unavailable,
    /// The storage is full (quota).
    Full,
    /// A kept record could not be read back; it was skipped.
    Corrupt,
}

impl StorageFault {
    /// The message of the error the API layer reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unavailable => "outbox storage unavailable: emits are kept in memory only",
            Self::Full => "outbox storage full: emits are kept in memory only",
            Self::Corrupt => "outbox storage held a record that could not be read: it was skipped",
        }
    }
}
