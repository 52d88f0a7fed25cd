//! Scripted exchanges with a virtual clock: the Manager, its engine and its sockets driven
//! through whole scenarios without a browser.

mod harness;
mod scenarios;
