//! Scripted exchanges with a virtual clock: the Manager, its engine and its sockets driven
//! through whole scenarios without a browser.

mod chaos;
mod harness;
mod scenarios;
