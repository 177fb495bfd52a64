//! `deescalate new NAME`: write NAME.ron, a commented starter scenario that passes `check` and
//! reaches every ending; an existing file is never replaced.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The starter scenario `new` writes (`"ID"` becomes the scenario's id).
pub const STARTER: &str = include_str!("starter.ron");

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The file to write (`.ron` is added if missing); an existing file is never replaced.
    pub name: PathBuf,
}

pub fn run(a: Args) -> Result<ExitCode, String> {
    new_command(&a.name)
}

/// A scenario id from a file name: lower case, anything but letters and digits as `_`.
fn id_from(stem: &str) -> String {
    let id: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if id.trim_matches('_').is_empty() {
        "new_scenario".into()
    } else {
        id
    }
}

/// The starter scenario with this id, its comments naming the file `name`.ron.
pub fn starter(id: &str, name: &str) -> String {
    STARTER
        .replacen("id: \"ID\"", &format!("id: \"{id}\""), 1)
        .replace("NAME", name)
}

/// `deescalate new NAME`: writes `NAME.ron`, a commented starter scenario; never overwrites.
pub fn new_command(name: &Path) -> Result<ExitCode, String> {
    let path = if name.extension().is_some_and(|x| x == "ron") {
        name.to_path_buf()
    } else {
        let mut p = name.as_os_str().to_owned();
        p.push(".ron");
        PathBuf::from(p)
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .ok_or_else(|| format!("{}: not a file name", name.display()))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(format!("{}: no such folder", dir.display()));
    }
    let text = starter(&id_from(&stem), &stem);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(format!(
                "{} already exists: choose another name (nothing was written)",
                path.display()
            ));
        }
        Err(e) => return Err(format!("{}: {e}", path.display())),
    }
    let shown = path.display();
    println!("Wrote {shown}: a starter scenario to change one step at a time.");
    println!("  deescalate check {shown} --watch     re-check on every save");
    println!("  deescalate routes {shown} --out {stem}   a script for every ending, in {stem}/");
    println!("  deescalate test {shown}              run those scripts' # expect- lines");
    Ok(ExitCode::SUCCESS)
}
