//! The sync engine: stored state + fresh snapshot -> a plan. Pure: no I/O,
//! no clock, no randomness.
