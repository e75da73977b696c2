//! Clients of the Grandstream clouds (GDMS UC and GWN) and the fetch that
//! turns their answers into a [`crate::snapshot::Snapshot`].
