//! Heap accounting: the global allocator is talc (smaller and faster than dlmalloc, which std uses on wasm32), wrapped to count the bytes in use,
//! so that leak checks and benchmarks can see what the core holds (the WebAssembly memory itself
//! only ever grows, so its size alone cannot show memory being released).
#![allow(unsafe_code)] // a `GlobalAlloc` impl is unsafe by definition; each call forwards as is.

use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

#[cfg(not(feature = "std"))]
static INNER: talc::cell::TalcSyncCell<TailThenGrow, talc::wasm::WasmBinning> =
    talc::cell::TalcSyncCell::new_wasm(TailThenGrow { end: None });
/// The allocator underneath: std's (dlmalloc on wasm32) when built with std, else talc, fed by
/// [`TailThenGrow`].
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

/// The WebAssembly page: memory grows by these.
#[cfg(not(feature = "std"))]
const PAGE: usize = 65_536;

#[cfg(not(feature = "std"))]
extern "C" {
    /// The first byte after the stack and the static data, set by the linker.
    static __heap_base: u8;
}

/// Where talc's memory comes from: first the rest of the module's initial memory, above the
/// stack and the data (`__heap_base`), then pages grown at its end, each extending the one heap.
/// talc's own `WasmGrowAndExtend` only claims pages it grows, leaving that rest unused; with a
/// 16 KiB stack (scripts/build.sh) it is 44 KB, enough for a connection and a burst of emits.
#[cfg(not(feature = "std"))]
#[derive(Debug)]
struct TailThenGrow {
    /// The end of the heap so far; `None` before the first claim.
    end: Option<core::ptr::NonNull<u8>>,
}

// SAFETY: `acquire` touches talc only through the `&mut Talc` it is given and allocates nothing.
// The memory it claims is the allocator's alone: the part of the initial memory above
// `__heap_base` (nothing else is placed there) and pages it grows itself.
#[cfg(not(feature = "std"))]
unsafe impl talc::source::Source for TailThenGrow {
    fn acquire<B: talc::base::binning::Binning>(
        talc: &mut talc::base::Talc<Self, B>,
        layout: Layout,
    ) -> Result<(), ()> {
        use core::arch::wasm32::{memory_grow, memory_size};
        let memory_end = memory_size(0).saturating_mul(PAGE);
        if talc.source.end.is_none() {
            let base = (&raw const __heap_base) as usize;
            if base < memory_end {
                // SAFETY: [base, memory_end) is in bounds and unused (see the impl's comment).
                talc.source.end = unsafe { talc.claim(base as *mut u8, memory_end - base) };
                if talc.source.end.is_some() {
                    return Ok(()); // talc asks again if `layout` does not fit
                }
            }
        }
        // Enough pages for `layout` with talc's chunk overhead (generous: too few only means
        // another `acquire`, which extends the heap again).
        let pages = layout
            .size()
            .saturating_add(layout.align())
            .saturating_add(256)
            .div_ceil(PAGE);
        let old_pages = memory_grow(0, pages);
        if old_pages == usize::MAX {
            return Err(());
        }
        let grown = old_pages.saturating_mul(PAGE) as *mut u8;
        let grown_end = grown.wrapping_add(pages.saturating_mul(PAGE));
        talc.source.end = match talc.source.end.take() {
            // SAFETY: the heap ends where the memory ended, so the grown pages extend it.
            Some(end) if end.as_ptr() == grown => Some(unsafe { talc.extend(end, grown_end) }),
            // SAFETY: freshly grown pages, in bounds and unused.
            _ => unsafe { talc.claim(grown, pages.saturating_mul(PAGE)) },
        };
        Ok(())
    }
}
