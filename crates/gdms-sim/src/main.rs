//! `gdms-sim`: serves the simulated clouds on loopback.

fn main() {
    println!("{} {}", gdms_sim::NAME, env!("CARGO_PKG_VERSION"));
}
