//! The rules wasm's allocator (feature `rules` alone): a bump pointer over pages grown at the
//! end of the wasm's memory, which goes back to their start whenever nothing is allocated.
//!
//! Why not talc, as the other wasms: V8 compiles each wasm function on its first call, and
//! talc's allocation path was about 0.4 ms of the first `validateRequest` of every cold start
//! (BENCHMARKS.md, "The rules wasm's bump allocator"); this is a few dozen instructions. It
//! fits the rules wasm alone: each call of its one export allocates a few blocks and the glue
//! frees them all (the packed string in, the issues out) before the next, so the pointer is
//! back at the start between calls and the memory stays the size of the largest call (a test
//! calls it 100,000 times and checks). A block never freed would keep it from going back (the
//! memory would then grow with every call): none is, short of a trap, after which no
//! allocator's state can be trusted. Single-threaded wasm only, which is what this package
//! builds.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32::{memory_grow, memory_size};
use core::cell::Cell;

const PAGE: usize = 65_536;

/// The rules wasm's allocator.
#[global_allocator]
static ALLOCATOR: Bump = Bump::new();

/// The allocator's state: where its pages start and end, the next free byte, and how many
/// blocks are live.
struct Bump {
    start: Cell<usize>,
    next: Cell<usize>,
    end: Cell<usize>,
    live: Cell<usize>,
}

// The wasm has one thread (the `cfg` in lib.rs rules out `atomics`).
unsafe impl Sync for Bump {}

impl Bump {
    /// An allocator that has not grown any page yet.
    const fn new() -> Self {
        Bump {
            start: Cell::new(0),
            next: Cell::new(0),
            end: Cell::new(0),
            live: Cell::new(0),
        }
    }
}

unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if self.start.get() == 0 {
            // The first allocation: the pages start where the memory ends now.
            let at = memory_size(0) * PAGE;
            self.start.set(at);
            self.next.set(at);
            self.end.set(at);
        }
        // `align` is a power of two (Layout's invariant).
        let Some(at) = self.next.get().checked_add(layout.align() - 1) else {
            return core::ptr::null_mut();
        };
        let at = at & !(layout.align() - 1);
        let Some(end) = at.checked_add(layout.size()) else {
            return core::ptr::null_mut();
        };
        if end > self.end.get() {
            let pages = (end - self.end.get()).div_ceil(PAGE);
            if memory_grow(0, pages) == usize::MAX {
                return core::ptr::null_mut();
            }
            self.end.set(self.end.get() + pages * PAGE);
        }
        self.next.set(end);
        self.live.set(self.live.get() + 1);
        at as *mut u8
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {
        let live = self.live.get().saturating_sub(1);
        self.live.set(live);
        if live == 0 {
            self.next.set(self.start.get());
        }
    }
}
