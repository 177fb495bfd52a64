//! Helpers shared by the tests that drive the `deescalate` binary.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `deescalate` binary built for this test run.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_deescalate"))
}

/// The crate's root folder.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh, empty temporary folder unique to this test process and `name`.
pub fn tmpdir(prefix: &str, name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("deescalate-{prefix}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `deescalate run SCENARIO --script SCRIPT`, ready for more arguments.
pub fn run_cmd(scenario: &Path, script: &Path) -> Command {
    let mut c = bin();
    c.args([
        "run",
        scenario.to_str().unwrap(),
        "--script",
        script.to_str().unwrap(),
    ]);
    c
}

/// Runs `cmd` and returns its output, failing the test with its stderr if it did not succeed.
pub fn succeeds(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
