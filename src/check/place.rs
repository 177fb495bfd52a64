//! Rules about the place: the trainee's spawn, each prop's position, size and colour, and
//! the ambience asset's path (relative to `assets/`, inside it, a `.wav` file).

use super::validator::Validator;
use crate::format::scenario::Prop;
use std::ops::Range;
use std::path::Path;

impl Validator<'_> {
    pub(super) fn check_place(&mut self) {
        let p = &self.s.place;
        self.spawn("place.trainee_spawn", "trainee spawn", &p.trainee_spawn);
        for (i, prop) in p.props.iter().enumerate() {
            self.prop(&format!("place.props[{i}]"), prop);
        }
        if let Some(a) = &p.ambience {
            self.asset_path("place.ambience", a);
        }
    }

    /// A prop's position and rotation are finite, its size positive, its colour in range.
    fn prop(&mut self, path: &str, prop: &Prop) {
        self.finite(&format!("{path}.x"), "prop x", prop.x);
        self.finite(&format!("{path}.z"), "prop z", prop.z);
        self.finite(&format!("{path}.rotation"), "prop rotation", prop.rotation);
        for (k, v) in [prop.size.0, prop.size.1, prop.size.2]
            .into_iter()
            .enumerate()
        {
            let dim = ["width", "height", "depth"][k];
            self.positive(&format!("{path}.size[{k}]"), &format!("prop {dim}"), v);
        }
        if let Some(c) = prop.color {
            self.colour(&format!("{path}.color"), "prop colour", c);
        }
    }

    /// Asset paths are relative to `assets/` and must stay inside it.
    fn asset_path(&mut self, path: &str, asset: &str) {
        let span = self.payload(path);
        let trimmed = asset.trim();
        if trimmed.is_empty() {
            self.error("asset-path", "asset path is empty", span).help = Some(
                "write a path inside assets/, e.g. \"audio/street.wav\", or remove the field"
                    .into(),
            );
            return;
        }
        if is_absolute(trimmed) {
            let d = self.error(
                "asset-path",
                format!("asset path `{asset}` is absolute"),
                span,
            );
            d.label = Some("absolute path".into());
            d.help = Some(
                "asset paths are relative to the assets/ folder, e.g. \"audio/street.wav\"".into(),
            );
            return;
        }
        if leaves_folder(trimmed) {
            self.outside_assets(asset, span);
            return;
        }
        self.audio_extension(asset, trimmed, span);
    }

    /// `asset-path`: `..` leads out of `assets/`.
    fn outside_assets(&mut self, asset: &str, span: Range<usize>) {
        let d = self.error(
            "asset-path",
            format!("asset path `{asset}` leads outside the assets/ folder"),
            span,
        );
        d.label = Some("`..` leaves assets/".into());
        d.help = Some("put the file inside assets/ and give its path relative to it".into());
    }

    /// `asset-extension`: the trainer plays WAV files only.
    fn audio_extension(&mut self, asset: &str, trimmed: &str, span: Range<usize>) {
        let ext = Path::new(trimmed)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if matches!(ext.as_deref(), Some("wav")) {
            return;
        }
        let d = self.warning(
            "asset-extension",
            format!("audio asset `{asset}` is not a .wav file"),
            span,
        );
        d.label = Some("unsupported audio format".into());
        d.help = Some("the trainer plays WAV files; convert it to .wav".into());
    }
}

/// `/x`, `\x` or `C:x`: absolute on some system.
fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

/// Whether a `..` climbs above the folder the path starts in.
fn leaves_folder(path: &str) -> bool {
    let mut depth = 0i32;
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            _ => depth += 1,
        }
    }
    false
}
