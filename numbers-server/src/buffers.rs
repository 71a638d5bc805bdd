//! Payload buffers shared across connections.
//!
//! Every connection gets a fresh thread, so a thread-local buffer would die with it. A list
//! is about 2.6 MiB; allocating that per connection means fresh pages, and so page faults,
//! for every client. Handlers instead borrow an already-grown buffer from this pool and
//! give it back when they are done.

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;

/// A stack of idle buffers, at most `keep` of them.
#[derive(Debug)]
pub struct BufferPool {
    idle: Mutex<Vec<Vec<u8>>>,
    keep: usize,
}

/// A buffer on loan from a [`BufferPool`]; dropping it returns it (or frees it, when the
/// pool already holds `keep` idle buffers).
#[derive(Debug)]
pub struct Loan<'a> {
    buf: Vec<u8>,
    pool: &'a BufferPool,
}

impl BufferPool {
    /// An empty pool that keeps at most `keep` idle buffers, bounding its memory to `keep`
    /// times the largest payload once load drops.
    pub fn new(keep: usize) -> Self {
        Self {
            idle: Mutex::new(Vec::new()),
            keep,
        }
    }

    /// An idle buffer, or a new empty one when none is idle. Its contents are unspecified.
    pub fn take(&self) -> Loan<'_> {
        let buf = self.lock().pop().unwrap_or_default();
        Loan { buf, pool: self }
    }

    /// Idle buffers held right now.
    pub fn idle(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Vec<u8>>> {
        // A panicking handler cannot leave a Vec<Vec<u8>> half-updated; keep going.
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Loan<'_> {
    fn drop(&mut self) {
        let mut idle = self.pool.lock();
        if idle.len() < self.pool.keep {
            idle.push(std::mem::take(&mut self.buf));
        }
    }
}

impl Deref for Loan<'_> {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.buf
    }
}

impl DerefMut for Loan<'_> {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_come_back_up_to_the_bound() {
        let pool = BufferPool::new(1);
        let mut first = pool.take();
        first.reserve(1000);
        let capacity = first.capacity();
        let second = pool.take();
        drop(first);
        drop(second);
        assert_eq!(pool.idle(), 1);
        assert_eq!(
            pool.take().capacity(),
            capacity,
            "the grown buffer is reused"
        );
    }
}
