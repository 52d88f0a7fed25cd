//! Heap accounting: the global allocator is talc (smaller and faster than dlmalloc, which std uses on wasm32), wrapped to count the bytes in use,
//! so that leak checks and benchmarks can see what the core holds (the WebAssembly memory itself
//! only ever grows, so its size alone cannot show memory being released).
#![allow(unsafe_code)] // a `GlobalAlloc` impl is unsafe by definition; each call forwards as is.

use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

#[cfg(not(feature = "std"))]
static INNER: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
/// The allocator underneath: std's (dlmalloc on wasm32) when built with std, else talc
/// (`WasmDynamicTalc`: it claims WebAssembly memory as it needs it).
#[cfg(feature = "std")]
use std::alloc::System as Inner;
#[cfg(not(feature = "std"))]
use INNER as Inner;

/// Bytes handed out by the allocator and not yet freed.
static IN_USE: AtomicUsize = AtomicUsize::new(0);

/// The allocator underneath, counting.
struct Counting;

// SAFETY: every method forwards its arguments unchanged to `Inner`, which upholds the
// `GlobalAlloc` contract; the counter is only bookkeeping and never affects a returned pointer.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        let ptr = unsafe { Inner.alloc(layout) };
        if !ptr.is_null() {
            IN_USE.fetch_add(layout.size(), Relaxed);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { Inner.alloc_zeroed(layout) };
        if !ptr.is_null() {
            IN_USE.fetch_add(layout.size(), Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator with `layout` (the caller's contract).
        unsafe { Inner.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on as is.
        let new = unsafe { Inner.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            IN_USE.fetch_sub(layout.size(), Relaxed);
            IN_USE.fetch_add(new_size, Relaxed);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes of the WebAssembly heap in use (allocated and not freed).
pub(crate) fn in_use() -> usize {
    IN_USE.load(Relaxed)
}

/// The size of the WebAssembly memory in bytes (it grows in 64 KiB pages and never shrinks).
pub(crate) fn memory_size() -> usize {
    core::arch::wasm32::memory_size(0).saturating_mul(65_536)
}
