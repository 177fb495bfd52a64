//! The settings panel (opened from the select screen and the pause menu): one row per
//! setting, changed with the keyboard or the mouse. The data and its file are
//! `crate::game::settings`; this is only the panel.

use crate::game::graphics::Quality;
use crate::game::settings::{
    MAX_MONITOR, SENSITIVITY_RANGE, Settings, TEXT_SCALE_RANGE, settings_path,
};
use crate::game::state::{SettingsChanged, SettingsInput};
use crate::game::theme::{self, Hover, UiFonts, color, size, widget};
use bevy::ecs::hierarchy::ChildSpawnerCommands;
use bevy::prelude::*;

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
    Graphics,
    Station,
    StationMonitor,
    Done,
}

const ROWS: [Row; 9] = [
    Row::Window,
    Row::Mouse,
    Row::Text,
    Row::Volume,
    Row::Heartbeat,
    Row::Graphics,
    Row::Station,
    Row::StationMonitor,
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
            Row::Graphics => "Graphics (next run)",
            Row::Station => "Instructor window",
            Row::StationMonitor => "Instructor window on",
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
            Row::Graphics => s.graphics.unwrap_or_default().label().into(),
            Row::Station => if s.instructor_window {
                "Opens with a run"
            } else {
                "Only with F10"
            }
            .into(),
            Row::StationMonitor => match s.instructor_monitor {
                0 => "Any monitor".into(),
                n => format!("Monitor {n}"),
            },
            Row::Done => String::new(),
        }
    }

    /// Step the value by `dir` (−1 or +1); `monitors`: how many the system has.
    fn adjust(self, s: &mut Settings, dir: f32, monitors: usize) {
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
            Row::Graphics => {
                let all = Quality::ALL;
                let now = all.iter().position(|q| Some(*q) == s.graphics).unwrap_or(1) as i32;
                let next = (now + dir.signum() as i32).clamp(0, all.len() as i32 - 1);
                s.graphics = Some(all[next as usize]);
            }
            Row::Station => s.instructor_window = !s.instructor_window,
            Row::StationMonitor => {
                let last = (monitors as i64).min(MAX_MONITOR as i64);
                let next = (s.instructor_monitor as i64 + dir.signum() as i64).clamp(0, last);
                s.instructor_monitor = next as u32;
            }
            Row::Done => {}
        }
    }
}

#[derive(Component)]
struct PanelRoot;

#[derive(Component)]
struct RowNode(usize);

/// The panel's scrolling body.
#[derive(Component)]
struct PanelBody;

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
        // The voice line (push-to-talk, calibration) sits under the panel at the bottom.
        .spawn((widget::modal_backdrop_above(50, Val::Vh(20.0)), PanelRoot))
        .with_children(|root| {
            root.spawn((
                widget::modal_panel(760.0, color::BORDER, Overflow::scroll_y()),
                PanelBody,
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
                        done_button(p, &fonts, i);
                    } else {
                        setting_row(p, &fonts, i, *row, &settings);
                    }
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

/// The Done button, centred under the rows.
fn done_button(p: &mut ChildSpawnerCommands, fonts: &UiFonts, i: usize) {
    p.spawn(Node {
        margin: UiRect::top(Val::Px(6.0)),
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
}

/// One setting: its name, and − value + (the name wraps when the text is large).
fn setting_row(p: &mut ChildSpawnerCommands, fonts: &UiFonts, i: usize, row: Row, s: &Settings) {
    p.spawn((
        Node {
            justify_content: JustifyContent::SpaceBetween,
            align_items: AlignItems::Center,
            padding: UiRect::axes(Val::Px(14.0), Val::Px(4.0)),
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
            step_button(v, fonts, "−", i, -1.0);
            v.spawn((
                Node {
                    min_width: Val::Px(190.0),
                    justify_content: JustifyContent::Center,
                    ..default()
                },
                Text::new(row.value(s)),
                TextLayout::new(Justify::Center, bevy::text::LineBreak::NoWrap),
                fonts.font(true, size::BODY),
                TextColor(color::ACCENT),
                RowValue(i),
            ));
            step_button(v, fonts, "+", i, 1.0);
        });
    });
}

fn step_button(p: &mut ChildSpawnerCommands, fonts: &UiFonts, label: &str, row: usize, dir: f32) {
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
    mut moved: MessageReader<bevy::window::CursorMoved>,
    monitors: Query<(), With<bevy::window::Monitor>>,
    mut was_open: Local<bool>,
) {
    let monitors = monitors.iter().count();
    let mouse_moved = moved.read().count() > 0;
    if !panel.open {
        *was_open = false;
        return;
    }
    if !*was_open {
        // Opened this frame: the key that opened it is not meant for the panel.
        *was_open = true;
        return;
    }
    if !panel_keys(&keys, &mut panel, &mut settings, monitors) {
        return;
    }
    for (i, s) in &steps {
        if *i == Interaction::Pressed {
            panel.row = s.row;
            ROWS[s.row].adjust(&mut settings, s.dir, monitors);
        }
    }
    // The row under the pointer takes the focus only when the mouse moves: a pointer that
    // happens to rest where the panel opens must not move the cursor off the first row.
    for (i, r) in &rows {
        if mouse_moved && *i == Interaction::Hovered && panel.row != r.0 {
            panel.row = r.0;
        }
    }
    if done.iter().any(|i| *i == Interaction::Pressed) {
        panel.open = false;
    }
}

/// The keyboard on the open panel (rows, values, Esc, Enter); false once it closed it.
/// Takes the resources themselves so that only a key that changes something marks them.
fn panel_keys(
    keys: &ButtonInput<KeyCode>,
    panel: &mut ResMut<SettingsPanel>,
    settings: &mut ResMut<Settings>,
    monitors: usize,
) -> bool {
    if keys.just_pressed(KeyCode::Escape) {
        panel.open = false;
        return false;
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
        row.adjust(settings, -1.0, monitors);
    }
    if keys.just_pressed(KeyCode::ArrowRight) {
        row.adjust(settings, 1.0, monitors);
    }
    if keys.just_pressed(KeyCode::Enter) || keys.just_pressed(KeyCode::NumpadEnter) {
        if row == Row::Done {
            panel.open = false;
            return false;
        }
        row.adjust(settings, 1.0, monitors);
    }
    true
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
        *border = widget::row_border(sel);
        bg.0 = widget::row_background(sel, false);
    }
}

/// Keep the focused row in view (the panel scrolls when the text is large).
fn keep_in_view(
    panel: Res<SettingsPanel>,
    rows: Query<(&RowNode, &ComputedNode, &UiGlobalTransform)>,
    mut body: Query<(&ComputedNode, &UiGlobalTransform, &mut ScrollPosition), With<PanelBody>>,
    mut last: Local<Option<(usize, Vec2)>>,
) {
    let Ok((view, view_at, mut scroll)) = body.single_mut() else {
        *last = None;
        return;
    };
    let Some((_, item, item_at)) = rows.iter().find(|(r, ..)| r.0 == panel.row) else {
        return;
    };
    let key = (panel.row, view.content_size);
    if last.as_ref() == Some(&key) || item.size.y <= 0.0 {
        return;
    }
    *last = Some(key);
    if let Some(y) = theme::scroll_to_show((item, item_at), (view, view_at), scroll.0.y) {
        scroll.0.y = y;
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SettingsPanel>().add_systems(
        Update,
        (
            panel_input.in_set(SettingsInput),
            spawn_or_despawn_panel,
            panel_refresh,
            keep_in_view,
        )
            .chain()
            .before(SettingsChanged),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_instructor_rows_switch_the_window_and_step_through_the_monitors_there_are() {
        let mut s = Settings::default();
        assert_eq!(Row::Station.value(&s), "Opens with a run");
        Row::Station.adjust(&mut s, 1.0, 2);
        assert!(!s.instructor_window);
        assert_eq!(Row::Station.value(&s), "Only with F10");
        assert_eq!(Row::StationMonitor.value(&s), "Any monitor");
        let mut seen = Vec::new();
        for dir in [1.0, 1.0, 1.0, -1.0, -1.0, -1.0] {
            Row::StationMonitor.adjust(&mut s, dir, 2);
            seen.push(Row::StationMonitor.value(&s));
        }
        let want = [
            "Monitor 1",
            "Monitor 2",
            "Monitor 2",
            "Monitor 1",
            "Any monitor",
            "Any monitor",
        ];
        assert_eq!(seen, want);
        // No monitor known (no window system): only "any".
        Row::StationMonitor.adjust(&mut s, 1.0, 0);
        assert_eq!(s.instructor_monitor, 0);
    }
}
