//! What `std`'s prelude gives and a `no_std` build must import: the `alloc` types every module
//! uses. Each module that needs them starts with `use crate::prelude::*;`.

pub(crate) use alloc::borrow::ToOwned;
pub(crate) use alloc::string::String;
pub(crate) use alloc::vec;
pub(crate) use alloc::vec::Vec;
