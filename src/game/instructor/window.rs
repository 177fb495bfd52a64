//! The instructor's own window: a second Bevy window of the same app, with its own camera
//! that draws only the instructor's panel, movable to another monitor or a projector.
//! It opens when a run starts (if the settings say so), centred on the monitor the
//! settings name, stays open between runs (so it keeps its place on the other screen), and
//! F10 or its close button closes it; either is remembered in the settings.

use super::Control;
use crate::game::settings::Settings;
use crate::game::state::{Launch, Screen};
use crate::game::theme::color;
use bevy::camera::RenderTarget;
use bevy::prelude::*;
use bevy::window::{Monitor, MonitorSelection, WindowPosition, WindowRef};

/// The instructor's window and the camera drawing into it, while open.
#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct Station {
    pub window: Option<Entity>,
    pub camera: Option<Entity>,
}

impl Station {
    pub fn is_open(&self) -> bool {
        self.window.is_some()
    }
}

/// Marks the instructor's window.
#[derive(Component)]
pub struct StationWindow;

/// Marks the camera that draws the instructor's panel into [`StationWindow`].
#[derive(Component)]
pub struct StationCamera;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Station>()
        .add_systems(OnEnter(Screen::Playing), open_at_start)
        .add_systems(Update, (closed_by_hand, toggle, follow_monitor).chain());
}

/// Scripted runs (autoplay, screenshots, benchmarks) never open it.
fn wanted(settings: Option<&Settings>, launch: &Launch) -> bool {
    launch.autoplay.is_none() && settings.is_none_or(|s| s.instructor_window)
}

fn open_at_start(
    mut commands: Commands,
    mut station: ResMut<Station>,
    settings: Option<Res<Settings>>,
    launch: Res<Launch>,
    monitors: Query<(), With<Monitor>>,
) {
    if !station.is_open() && wanted(settings.as_deref(), &launch) {
        let at = placement(settings.as_deref(), monitors.iter().count());
        *station = open(&mut commands, at);
    }
}

/// Centred on the settings' monitor if the system has it, else where the system puts it.
pub fn placement(settings: Option<&Settings>, monitors: usize) -> WindowPosition {
    match settings.map_or(0, |s| s.instructor_monitor as usize) {
        n if n >= 1 && n <= monitors => WindowPosition::Centered(MonitorSelection::Index(n - 1)),
        _ => WindowPosition::Automatic,
    }
}

fn open(commands: &mut Commands, position: WindowPosition) -> Station {
    let window = commands
        .spawn((
            Name::new("Instructor window"),
            StationWindow,
            Window {
                title: "deescalate — instructor".into(),
                resolution: (1100, 720).into(),
                position,
                // The trainee's window keeps the keyboard when this one opens.
                focused: false,
                ..default()
            },
        ))
        .id();
    let camera = commands
        .spawn((
            Name::new("Instructor camera"),
            StationCamera,
            Camera2d,
            Camera {
                clear_color: ClearColorConfig::Custom(color::BG),
                ..default()
            },
            RenderTarget::Window(WindowRef::Entity(window)),
        ))
        .id();
    Station {
        window: Some(window),
        camera: Some(camera),
    }
}

fn close(commands: &mut Commands, station: &mut Station) {
    for e in [station.window.take(), station.camera.take()]
        .into_iter()
        .flatten()
    {
        if let Ok(mut e) = commands.get_entity(e) {
            e.despawn();
        }
    }
}

fn remember(settings: Option<ResMut<Settings>>, open: bool) {
    if let Some(mut s) = settings
        && s.instructor_window != open
    {
        s.instructor_window = open;
    }
}

/// F10 or the panel's button.
fn toggle(
    mut commands: Commands,
    mut controls: MessageReader<Control>,
    mut station: ResMut<Station>,
    settings: Option<ResMut<Settings>>,
    monitors: Query<(), With<Monitor>>,
) {
    let flips = controls
        .read()
        .filter(|c| **c == Control::ToggleWindow)
        .count();
    if flips % 2 == 0 {
        return;
    }
    if station.is_open() {
        close(&mut commands, &mut station);
    } else {
        let at = placement(settings.as_deref(), monitors.iter().count());
        *station = open(&mut commands, at);
    }
    remember(settings, station.is_open());
}

/// A monitor chosen in the settings moves the open window there at once.
fn follow_monitor(
    settings: Option<Res<Settings>>,
    station: Res<Station>,
    monitors: Query<(), With<Monitor>>,
    mut windows: Query<&mut Window, With<StationWindow>>,
    mut last: Local<Option<u32>>,
) {
    let Some(settings) = settings else { return };
    let chosen = settings.instructor_monitor;
    let changed = last.replace(chosen).is_some_and(|was| was != chosen);
    if let (true, Some(w)) = (changed && chosen > 0, station.window)
        && let Ok(mut window) = windows.get_mut(w)
    {
        window.position = placement(Some(&settings), monitors.iter().count());
    }
}

/// The window's own close button despawned it: let its camera go too.
fn closed_by_hand(
    mut commands: Commands,
    mut station: ResMut<Station>,
    windows: Query<(), With<StationWindow>>,
    settings: Option<ResMut<Settings>>,
) {
    if let Some(w) = station.window
        && windows.get(w).is_err()
    {
        close(&mut commands, &mut station);
        remember(settings, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_opens_centred_on_the_chosen_monitor_if_there_is_one() {
        let on = |n| Settings {
            instructor_monitor: n,
            ..Settings::default()
        };
        let centred = |i| WindowPosition::Centered(MonitorSelection::Index(i));
        assert_eq!(placement(Some(&on(2)), 2), centred(1));
        assert_eq!(placement(Some(&on(1)), 3), centred(0));
        // Unplugged since it was chosen, or "any": the system places it.
        assert_eq!(placement(Some(&on(2)), 1), WindowPosition::Automatic);
        assert_eq!(placement(Some(&on(0)), 2), WindowPosition::Automatic);
        assert_eq!(placement(None, 2), WindowPosition::Automatic);
    }
}
