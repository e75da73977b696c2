//! Scenario tests of the whole engine: fixtures, a stand-in for the PHP
//! "apply" step, and one module per concern.

pub(crate) mod fixtures;
mod props;
mod rules;
mod situations;
