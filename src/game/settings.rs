//! The trainee's preferences (window mode, mouse sensitivity, text size, volume, graphics)
//! and their file: RON in `$XDG_CONFIG_HOME/deescalate/settings.ron` (or
//! `~/.config/deescalate/…`), loaded at start-up and saved whenever they change. The
//! player, audio, theme and graphics read [`Settings`]; the settings panel changes it.

use bevy::prelude::*;
use bevy::window::{MonitorSelection, PrimaryWindow, WindowMode};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::game::graphics::{Graphics, Quality, pick_for_adapter};
use crate::game::state::{Launch, SettingsChanged};
use bevy::render::renderer::RenderAdapterInfo;

/// The trainee's preferences. Other plugins read it (`player` reads `mouse_sensitivity`,
/// `audio` reads `master_volume`); the settings panel changes it and it is saved on change.
#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Borderless fullscreen on the current monitor instead of a window.
    pub fullscreen: bool,
    /// Multiplier on mouse-look speed; 1.0 is the default, range 0.2–3.0.
    pub mouse_sensitivity: f32,
    /// Multiplier on all interface text; 1.0 is the default, range 0.8–1.6.
    pub text_scale: f32,
    /// 0.0 (silent) … 1.0 (full).
    pub master_volume: f32,
    /// In training mode, a low heartbeat that speeds up with the subject's agitation.
    pub stress_cue: bool,
    /// The graphics preset; none until the first start picks one from the adapter.
    pub graphics: Option<Quality>,
    /// Open the instructor's own window when a run starts (F10 opens / closes it).
    pub instructor_window: bool,
    /// The monitor the instructor's window opens on, centred: 1 is the first the system
    /// lists; 0 lets the system place it (the first time; it stays where it is dragged).
    pub instructor_monitor: u32,
    /// Push-to-talk measures the tone from the microphone; off (the instructor's choice),
    /// the tone is always the menu's.
    pub voice: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            fullscreen: false,
            mouse_sensitivity: 1.0,
            text_scale: 1.0,
            master_volume: 0.8,
            stress_cue: true,
            graphics: None,
            instructor_window: true,
            instructor_monitor: 0,
            voice: true,
        }
    }
}

pub const SENSITIVITY_RANGE: (f32, f32) = (0.2, 3.0);
pub const TEXT_SCALE_RANGE: (f32, f32) = (0.8, 1.6);
/// The highest monitor number a settings file may name.
pub const MAX_MONITOR: u32 = 16;

fn clamp_or(v: f32, (lo, hi): (f32, f32), default: f32) -> f32 {
    if v.is_finite() {
        v.clamp(lo, hi)
    } else {
        default
    }
}

impl Settings {
    /// Bring every value into its range (a hand-edited file may say anything).
    pub fn sanitized(self) -> Settings {
        let d = Settings::default();
        Settings {
            fullscreen: self.fullscreen,
            mouse_sensitivity: clamp_or(
                self.mouse_sensitivity,
                SENSITIVITY_RANGE,
                d.mouse_sensitivity,
            ),
            text_scale: clamp_or(self.text_scale, TEXT_SCALE_RANGE, d.text_scale),
            master_volume: clamp_or(self.master_volume, (0.0, 1.0), d.master_volume),
            stress_cue: self.stress_cue,
            graphics: self.graphics,
            instructor_window: self.instructor_window,
            instructor_monitor: self.instructor_monitor.min(MAX_MONITOR),
            voice: self.voice,
        }
    }

    /// Parse a settings file. Missing fields take their defaults.
    pub fn parse(text: &str) -> Result<Settings, String> {
        ron::from_str::<Settings>(text)
            .map(Settings::sanitized)
            .map_err(|e| e.to_string())
    }

    pub fn to_ron(&self) -> String {
        let pretty = ron::ser::PrettyConfig::new().depth_limit(2);
        ron::ser::to_string_pretty(self, pretty).unwrap_or_default()
    }

    /// Load from `path`; a missing file gives the defaults silently, a broken one gives the
    /// defaults and a warning to show once.
    pub fn load_from(path: &Path) -> (Settings, Option<String>) {
        match std::fs::read_to_string(path) {
            Ok(text) => match Settings::parse(&text) {
                Ok(s) => (s, None),
                Err(e) => (
                    Settings::default(),
                    Some(format!(
                        "settings file {} could not be read ({e}); using the defaults",
                        path.display()
                    )),
                ),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Settings::default(), None),
            Err(e) => (
                Settings::default(),
                Some(format!(
                    "settings file {} could not be read ({e}); using the defaults",
                    path.display()
                )),
            ),
        }
    }

    /// Write atomically, creating the folder.
    pub fn save_to(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::records::record::write_atomic(path, self.to_ron().as_bytes())
    }
}

/// `$XDG_CONFIG_HOME/deescalate/settings.ron`, else `~/.config/deescalate/settings.ron`.
pub fn settings_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("XDG_CONFIG_HOME").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p).join("deescalate/settings.ron"));
    }
    std::env::var_os("HOME")
        .filter(|p| !p.is_empty())
        .map(|h| PathBuf::from(h).join(".config/deescalate/settings.ron"))
}

/// Where the settings were loaded from (and are saved to).
#[derive(Resource, Clone)]
struct SettingsFile(Option<PathBuf>);

/// Apply the window mode and save the file whenever the settings change.
fn apply_and_save(
    settings: Res<Settings>,
    file: Res<SettingsFile>,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
) {
    if !settings.is_changed() {
        return;
    }
    if let Ok(mut w) = windows.single_mut() {
        let want = if settings.fullscreen {
            WindowMode::BorderlessFullscreen(MonitorSelection::Current)
        } else {
            WindowMode::Windowed
        };
        if w.mode != want {
            w.mode = want;
        }
    }
    if settings.is_added() {
        return;
    }
    if let Some(path) = &file.0
        && let Err(e) = settings.save_to(path)
    {
        warn!("settings could not be saved to {}: {e}", path.display());
    }
}

pub fn plugin(app: &mut App) {
    let path = settings_path();
    let settings = match &path {
        Some(p) => {
            let (s, warning) = Settings::load_from(p);
            if let Some(w) = warning {
                warn!("{w}");
            }
            s
        }
        None => Settings::default(),
    };
    app.insert_resource(settings)
        .insert_resource(SettingsFile(path))
        .init_resource::<Graphics>()
        .add_systems(Startup, choose)
        .add_systems(
            Update,
            (follow_settings, apply_and_save).in_set(SettingsChanged),
        );
}

/// On first start, pick the preset from the adapter (and save it); then apply the saved
/// one, or the command line's.
fn choose(
    launch: Res<Launch>,
    settings: Option<ResMut<Settings>>,
    file: Option<Res<SettingsFile>>,
    adapter: Option<Res<RenderAdapterInfo>>,
    mut graphics: ResMut<Graphics>,
) {
    let mut saved = None;
    graphics.1 = adapter.as_ref().is_some_and(|a| {
        format!("{:?}", a.device_type) == "Cpu" || crate::game::graphics::is_software(&a.name)
    });
    if let Some(mut settings) = settings {
        if settings.graphics.is_none()
            && let Some(a) = &adapter
        {
            // wgpu's DeviceType, by name (Cpu, IntegratedGpu, DiscreteGpu, …).
            let kind = format!("{:?}", a.device_type);
            let (cpu, integrated) = (kind == "Cpu", kind == "IntegratedGpu");
            let q = if cpu {
                Quality::Low
            } else {
                pick_for_adapter(&a.name, integrated)
            };
            info!("graphics: {} picked for {}", q.label(), a.name);
            settings.graphics = Some(q);
            // Saved at once: the first change of a freshly loaded file is not otherwise saved.
            if let Some(path) = file.as_ref().and_then(|f| f.0.as_ref())
                && let Err(e) = settings.save_to(path)
            {
                warn!("settings could not be saved to {}: {e}", path.display());
            }
        }
        saved = settings.graphics;
    }
    graphics.0 = launch.graphics.or(saved).unwrap_or_default();
}

/// A preset changed in the settings applies from the next run on (unless the command line
/// chose one).
fn follow_settings(
    launch: Res<Launch>,
    settings: Option<Res<Settings>>,
    mut graphics: ResMut<Graphics>,
) {
    let Some(settings) = settings else { return };
    if !settings.is_changed() || launch.graphics.is_some() {
        return;
    }
    if let Some(q) = settings.graphics
        && graphics.0 != q
    {
        graphics.0 = q;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_or_partial_files_fall_back_to_defaults() {
        assert!(Settings::parse("(text_scale: ").is_err());
        assert!(Settings::parse("not ron at all").is_err());
        let s = Settings::parse("(master_volume: 0.25)").unwrap();
        assert_eq!(s.master_volume, 0.25);
        assert_eq!(s.text_scale, 1.0);
        let s = Settings::parse("(text_scale: 99.0, mouse_sensitivity: -4.0)").unwrap();
        assert_eq!(s.text_scale, TEXT_SCALE_RANGE.1);
        assert_eq!(s.mouse_sensitivity, SENSITIVITY_RANGE.0);
        let s = Settings::parse("(instructor_monitor: 4000)").unwrap();
        assert_eq!(s.instructor_monitor, MAX_MONITOR);
        assert_eq!(Settings::parse("()").unwrap().instructor_monitor, 0);
    }

    #[test]
    fn round_trips_through_a_file() {
        let dir = std::env::temp_dir().join(format!("deescalate-settings-{}", std::process::id()));
        let path = dir.join("deescalate/settings.ron");
        let s = Settings {
            fullscreen: true,
            mouse_sensitivity: 1.7,
            text_scale: 1.3,
            master_volume: 0.4,
            stress_cue: false,
            graphics: Some(Quality::Low),
            instructor_window: false,
            instructor_monitor: 2,
            voice: false,
        };
        s.save_to(&path).unwrap();
        let (back, warning) = Settings::load_from(&path);
        assert!(warning.is_none());
        assert_eq!(back, s);
        std::fs::write(&path, "(fullscreen: maybe)").unwrap();
        let (back, warning) = Settings::load_from(&path);
        assert_eq!(back, Settings::default());
        assert!(warning.is_some());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
