//! The `gdms` PHP extension.
//!
//! A thin bridge: every function converts its PHP arguments (strings holding
//! JSON documents, see [`gdms_core::contract`]) to gdms-core types, forwards,
//! and converts back. No decision is made here.
//!
//! php-fpm safety: nothing happens at module start (MINIT) besides registering
//! functions. HTTP clients, runtimes and thread pools are created lazily on the
//! first call that needs them, i.e. inside the forked worker, and worker
//! threads never touch the Zend API: they return plain Rust values that this
//! file converts on the PHP thread.
#![cfg_attr(windows, feature(abi_vectorcall))]

use ext_php_rs::prelude::*;

/// The extension's own Rust allocations (never PHP's: values cross to PHP as
/// copies made by the Zend API) go through mimalloc. A sync cycle builds and
/// frees hundreds of thousands of short strings and a few large tables;
/// glibc's malloc spent a third of `plan()` in `free`, `malloc_consolidate`
/// and fresh-page faults for them (60 ms → 40 ms for 100,000 devices, see
/// BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod chatwoot;
mod cloud;
mod dashboard;
mod engine;
mod error;
mod export;
mod info;
mod outgoing;

/// Registers every area's functions; each area module owns its list.
#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    let module = info::register(module);
    let module = cloud::register(module);
    let module = chatwoot::register(module);
    let module = dashboard::register(module);
    let module = outgoing::register(module);
    let module = export::register(module);
    engine::register(module)
}
