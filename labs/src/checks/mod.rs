//! Checks several labs share: the items every Python lab has, the grader's scripted
//! stand-in servers, a test photo, and fair timing.

pub mod photo;
pub mod scripted;
pub mod shared_items;
pub mod timing;
