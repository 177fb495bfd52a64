//! Player settings (window mode, mouse sensitivity, text size, volume), kept between runs
//! as RON in `$XDG_CONFIG_HOME/deescalate/settings.ron` (or `~/.config/deescalate/…`),
//! and the settings panel (opened from the select screen and the pause menu).

use bevy::prelude::*;
use bevy::ui::FocusPolicy;
use bevy::window::{MonitorSelection, PrimaryWindow, WindowMode};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use super::theme::{self, Hover, UiFonts, color, size};

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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            fullscreen: false,
            mouse_sensitivity: 1.0,
            text_scale: 1.0,
            master_volume: 0.8,
            stress_cue: true,
        }
    }
}

pub const SENSITIVITY_RANGE: (f32, f32) = (0.2, 3.0);
pub const TEXT_SCALE_RANGE: (f32, f32) = (0.8, 1.6);

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
        crate::record::write_atomic(path, self.to_ron().as_bytes())
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

/// The settings panel's keyboard handling; screens that also read keys run before it, so a
/// key that closes the panel is not seen again by the screen underneath.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct SettingsInput;

/// Whether the settings panel is open, and which row has the keyboard focus.
#[derive(Resource, Default)]
pub struct SettingsPanel {
    pub open: bool,
    pub row: usize,
}

impl SettingsPanel {
    pub fn open(&mut self) {
        self.open = true;
        self.row = 0;
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Row {
    Window,
    Mouse,
    Text,
    Volume,
    Heartbeat,
    Done,
}

const ROWS: [Row; 6] = [
    Row::Window,
    Row::Mouse,
    Row::Text,
    Row::Volume,
    Row::Heartbeat,
    Row::Done,
];

impl Row {
    fn label(self) -> &'static str {
        match self {
            Row::Window => "Window",
            Row::Mouse => "Mouse sensitivity",
            Row::Text => "Text size",
            Row::Volume => "Master volume",
            Row::Heartbeat => "Heartbeat stress cue",
            Row::Done => "Done",
        }
    }

    fn value(self, s: &Settings) -> String {
        match self {
            Row::Window => if s.fullscreen {
                "Fullscreen"
            } else {
                "Windowed"
            }
            .into(),
            Row::Mouse => format!("{:.1}×", s.mouse_sensitivity),
            Row::Text => format!("{:.0} %", s.text_scale * 100.0),
            Row::Volume => format!("{:.0} %", s.master_volume * 100.0),
            Row::Heartbeat => if s.stress_cue { "On" } else { "Off" }.into(),
            Row::Done => String::new(),
        }
    }

    /// Step the value by `dir` (−1 or +1).
    fn adjust(self, s: &mut Settings, dir: f32) {
        let round = |v: f32, step: f32| (v / step).round() * step;
        match self {
            Row::Window => s.fullscreen = !s.fullscreen,
            Row::Mouse => {
                s.mouse_sensitivity = round(s.mouse_sensitivity + 0.1 * dir, 0.1)
                    .clamp(SENSITIVITY_RANGE.0, SENSITIVITY_RANGE.1)
            }
            Row::Text => {
                s.text_scale = round(s.text_scale + 0.1 * dir, 0.1)
                    .clamp(TEXT_SCALE_RANGE.0, TEXT_SCALE_RANGE.1)
            }
            Row::Volume => {
                s.master_volume = round(s.master_volume + 0.05 * dir, 0.05).clamp(0.0, 1.0)
            }
            Row::Heartbeat => s.stress_cue = !s.stress_cue,
            Row::Done => {}
        }
    }
}

#[derive(Component)]
struct PanelRoot;

#[derive(Component)]
struct RowNode(usize);

#[derive(Component)]
struct RowValue(usize);

#[derive(Component)]
struct StepButton {
    row: usize,
    dir: f32,
}

#[derive(Component)]
struct DoneButton;

fn spawn_or_despawn_panel(
    mut commands: Commands,
    panel: Res<SettingsPanel>,
    roots: Query<Entity, With<PanelRoot>>,
    fonts: Res<UiFonts>,
    settings: Res<Settings>,
) {
    if !panel.is_changed() {
        return;
    }
    let exists = !roots.is_empty();
    if panel.open == exists {
        return;
    }
    if !panel.open {
        for e in &roots {
            commands.entity(e).despawn();
        }
        return;
    }
    commands
        .spawn((
            Node {
                position_type: PositionType::Absolute,
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                ..theme::screen_root()
            },
            PanelRoot,
            GlobalZIndex(50),
            BackgroundColor(color::SHADE),
            FocusPolicy::Block,
        ))
        .with_children(|root| {
            root.spawn((
                Node {
                    width: Val::Px(760.0),
                    max_width: Val::Percent(96.0),
                    max_height: Val::Percent(96.0),
                    overflow: Overflow::scroll_y(),
                    row_gap: Val::Px(10.0),
                    padding: UiRect::all(Val::Px(28.0)),
                    ..theme::panel_node()
                },
                BackgroundColor(color::PANEL_SOLID),
                BorderColor::all(color::BORDER),
                ScrollPosition::default(),
                theme::Scrollable,
                bevy::ui::RelativeCursorPosition::default(),
            ))
            .with_children(|p| {
                p.spawn(fonts.bold("Settings", size::HEADING, color::TEXT));
                p.spawn(fonts.text(
                    "↑ ↓ choose   ← → change   Esc close",
                    size::SMALL,
                    color::MUTED,
                ));
                for (i, row) in ROWS.iter().enumerate() {
                    if *row == Row::Done {
                        p.spawn(Node {
                            margin: UiRect::top(Val::Px(12.0)),
                            justify_content: JustifyContent::Center,
                            ..default()
                        })
                        .with_children(|c| {
                            c.spawn((
                                Button,
                                theme::button_node(),
                                BackgroundColor(color::PANEL_LIGHT),
                                BorderColor::all(color::BORDER),
                                RowNode(i),
                                DoneButton,
                            ))
                            .with_children(|b| {
                                b.spawn(fonts.bold("Done", size::BODY, color::TEXT));
                            });
                        });
                        continue;
                    }
                    p.spawn((
                        Node {
                            justify_content: JustifyContent::SpaceBetween,
                            align_items: AlignItems::Center,
                            padding: UiRect::axes(Val::Px(14.0), Val::Px(8.0)),
                            border: UiRect::all(Val::Px(2.0)),
                            border_radius: BorderRadius::all(Val::Px(6.0)),
                            ..theme::text_row()
                        },
                        BackgroundColor(color::PANEL_LIGHT),
                        BorderColor::all(Color::NONE),
                        RowNode(i),
                        Interaction::default(),
                    ))
                    .with_children(|r| {
                        r.spawn(fonts.text(row.label(), size::BODY, color::TEXT));
                        r.spawn(Node {
                            align_items: AlignItems::Center,
                            column_gap: Val::Px(12.0),
                            ..default()
                        })
                        .with_children(|v| {
                            step_button(v, &fonts, "−", i, -1.0);
                            v.spawn((
                                Node {
                                    min_width: Val::Px(190.0),
                                    justify_content: JustifyContent::Center,
                                    ..default()
                                },
                                Text::new(row.value(&settings)),
                                TextLayout::new(Justify::Center, bevy::text::LineBreak::NoWrap),
                                fonts.font(true, size::BODY),
                                TextColor(color::ACCENT),
                                RowValue(i),
                            ));
                            step_button(v, &fonts, "+", i, 1.0);
                        });
                    });
                }
                if let Some(path) = settings_path() {
                    p.spawn(fonts.text(
                        format!("Saved to {}", path.display()),
                        size::SMALL,
                        color::MUTED,
                    ));
                }
            });
        });
}

fn step_button(
    p: &mut bevy::ecs::hierarchy::ChildSpawnerCommands,
    fonts: &UiFonts,
    label: &str,
    row: usize,
    dir: f32,
) {
    p.spawn((
        Button,
        Node {
            width: Val::Px(44.0),
            height: Val::Px(40.0),
            ..theme::button_node()
        },
        BackgroundColor(Hover::BUTTON.normal),
        BorderColor::all(color::BORDER),
        Hover::BUTTON,
        StepButton { row, dir },
    ))
    .with_children(|b| {
        b.spawn(fonts.bold(label, size::LARGE, color::TEXT));
    });
}

fn panel_input(
    keys: Res<ButtonInput<KeyCode>>,
    mut panel: ResMut<SettingsPanel>,
    mut settings: ResMut<Settings>,
    steps: Query<(&Interaction, &StepButton), Changed<Interaction>>,
    done: Query<&Interaction, (Changed<Interaction>, With<DoneButton>)>,
    rows: Query<(&Interaction, &RowNode), Changed<Interaction>>,
    mut was_open: Local<bool>,
) {
    if !panel.open {
        *was_open = false;
        return;
    }
    if !*was_open {
        // Opened this frame: the key that opened it is not meant for the panel.
        *was_open = true;
        return;
    }
    if keys.just_pressed(KeyCode::Escape) {
        panel.open = false;
        return;
    }
    let n = ROWS.len();
    if keys.just_pressed(KeyCode::ArrowDown) || keys.just_pressed(KeyCode::Tab) {
        panel.row = (panel.row + 1) % n;
    }
    if keys.just_pressed(KeyCode::ArrowUp) {
        panel.row = (panel.row + n - 1) % n;
    }
    let row = ROWS[panel.row.min(n - 1)];
    if keys.just_pressed(KeyCode::ArrowLeft) {
        row.adjust(&mut settings, -1.0);
    }
    if keys.just_pressed(KeyCode::ArrowRight) {
        row.adjust(&mut settings, 1.0);
    }
    if keys.just_pressed(KeyCode::Enter) || keys.just_pressed(KeyCode::NumpadEnter) {
        if row == Row::Done {
            panel.open = false;
            return;
        }
        row.adjust(&mut settings, 1.0);
    }
    for (i, s) in &steps {
        if *i == Interaction::Pressed {
            panel.row = s.row;
            ROWS[s.row].adjust(&mut settings, s.dir);
        }
    }
    for (i, r) in &rows {
        if *i == Interaction::Hovered && panel.row != r.0 {
            panel.row = r.0;
        }
    }
    if done.iter().any(|i| *i == Interaction::Pressed) {
        panel.open = false;
    }
}

fn panel_refresh(
    panel: Res<SettingsPanel>,
    settings: Res<Settings>,
    mut values: Query<(&RowValue, &mut Text)>,
    mut rows: Query<(&RowNode, &mut BorderColor, &mut BackgroundColor)>,
) {
    if !panel.is_changed() && !settings.is_changed() {
        return;
    }
    for (v, mut t) in &mut values {
        let s = ROWS[v.0].value(&settings);
        if t.0 != s {
            t.0 = s;
        }
    }
    for (r, mut border, mut bg) in &mut rows {
        let sel = r.0 == panel.row;
        *border = BorderColor::all(if sel { color::ACCENT } else { Color::NONE });
        bg.0 = if sel {
            color::SELECTED
        } else {
            color::PANEL_LIGHT
        };
    }
}

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

pub(super) fn plugin(app: &mut App) {
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
        .init_resource::<SettingsPanel>()
        .add_systems(
            Update,
            (
                panel_input.in_set(SettingsInput),
                spawn_or_despawn_panel,
                panel_refresh,
                apply_and_save,
            )
                .chain(),
        );
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
