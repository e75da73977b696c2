//! Documents of the cloud calls (`gdms_fetch`, `gdms_test_connection`).
//! Filled in by the cloud-clients work.
