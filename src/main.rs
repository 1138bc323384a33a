//! The `gauntlet` binary: parse, run, exit with the code the library chose.

fn main() {
    std::process::exit(gauntlet::cli::main());
}
