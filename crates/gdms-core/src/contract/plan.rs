//! Documents of the sync-engine calls (`gdms_plan`).
//! Filled in by the sync-engine work.
