//! The pause menu (Esc while playing): resume, restart, end the run and see the debrief,
//! settings, or quit to the scenario list.

use bevy::prelude::*;

use super::TalkPanel;
use crate::game::live::session::EndRun;
use crate::game::screens::settings::SettingsPanel;
use crate::game::state::SettingsInput;
use crate::game::theme::{UiFonts, color, size, widget};
use crate::game::{PlayState, Restart, Screen};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Item {
    Resume,
    Restart,
    EndRun,
    Settings,
    Quit,
}

const ITEMS: [Item; 5] = [
    Item::Resume,
    Item::Restart,
    Item::EndRun,
    Item::Settings,
    Item::Quit,
];

impl Item {
    fn label(self) -> &'static str {
        match self {
            Item::Resume => "Resume",
            Item::Restart => "Restart from the briefing",
            Item::EndRun => "End the run and see the debrief",
            Item::Settings => "Settings",
            Item::Quit => "Quit to the scenario list",
        }
    }
}

#[derive(Resource, Default)]
struct PauseCursor(usize);

#[derive(Component)]
struct MenuItem(usize);

fn open_or_close(
    keys: Res<ButtonInput<KeyCode>>,
    state: Res<State<PlayState>>,
    mut next: ResMut<NextState<PlayState>>,
    mut talk: ResMut<TalkPanel>,
    panel: Res<SettingsPanel>,
) {
    if !keys.just_pressed(KeyCode::Escape) || panel.open {
        return;
    }
    match state.get() {
        PlayState::Running => {
            if talk.open {
                talk.open = false;
            } else {
                next.set(PlayState::Paused);
            }
        }
        PlayState::Paused => next.set(PlayState::Running),
    }
}

fn spawn(mut commands: Commands, fonts: Res<UiFonts>, mut cursor: ResMut<PauseCursor>) {
    cursor.0 = 0;
    commands
        .spawn((widget::modal_backdrop(30), DespawnOnExit(PlayState::Paused)))
        .with_children(|root| {
            root.spawn(widget::modal_panel(720.0, color::BORDER, Overflow::clip()))
                .with_children(|p| {
                    p.spawn(fonts.bold("Paused", size::HEADING, color::TEXT));
                    p.spawn(fonts.text(
                        "The scenario is stopped while this menu is open.",
                        size::SMALL,
                        color::MUTED,
                    ));
                    for (i, item) in ITEMS.iter().enumerate() {
                        p.spawn((
                            Button,
                            Node {
                                padding: UiRect::axes(Val::Px(16.0), Val::Px(10.0)),
                                border: UiRect::all(Val::Px(2.0)),
                                border_radius: BorderRadius::all(Val::Px(6.0)),
                                ..default()
                            },
                            BackgroundColor(color::PANEL_LIGHT),
                            BorderColor::all(Color::NONE),
                            MenuItem(i),
                        ))
                        .with_children(|b| {
                            b.spawn(fonts.bold(item.label(), size::BODY, color::TEXT));
                        });
                    }
                    p.spawn(fonts.text(
                        "↑ ↓ choose   Enter select   Esc resume",
                        size::SMALL,
                        color::MUTED,
                    ));
                });
        });
}

fn input(
    keys: Res<ButtonInput<KeyCode>>,
    mut cursor: ResMut<PauseCursor>,
    items: Query<(&Interaction, &MenuItem), Changed<Interaction>>,
    mut panel: ResMut<SettingsPanel>,
    mut play: ResMut<NextState<PlayState>>,
    mut screen: ResMut<NextState<Screen>>,
    mut restart: MessageWriter<Restart>,
    mut end: MessageWriter<EndRun>,
    mut moved: MessageReader<bevy::window::CursorMoved>,
) {
    // A pointer resting where the menu opens does not move the cursor; a moving one does.
    let mouse_moved = moved.read().count() > 0;
    if panel.open {
        return;
    }
    let n = ITEMS.len();
    if keys.just_pressed(KeyCode::ArrowDown) {
        cursor.0 = (cursor.0 + 1) % n;
    }
    if keys.just_pressed(KeyCode::ArrowUp) {
        cursor.0 = (cursor.0 + n - 1) % n;
    }
    let mut chosen = None;
    if keys.just_pressed(KeyCode::Enter) || keys.just_pressed(KeyCode::NumpadEnter) {
        chosen = Some(ITEMS[cursor.0.min(n - 1)]);
    }
    for (i, item) in &items {
        match i {
            Interaction::Pressed => chosen = Some(ITEMS[item.0]),
            Interaction::Hovered if mouse_moved => cursor.0 = item.0,
            Interaction::Hovered => {}
            Interaction::None => {}
        }
    }
    match chosen {
        Some(Item::Resume) => play.set(PlayState::Running),
        Some(Item::Restart) => {
            restart.write(Restart);
        }
        Some(Item::EndRun) => {
            end.write(EndRun);
            play.set(PlayState::Running);
        }
        Some(Item::Settings) => panel.open(),
        Some(Item::Quit) => screen.set(Screen::Select),
        None => {}
    }
}

fn highlight(
    cursor: Res<PauseCursor>,
    mut items: Query<(&MenuItem, &mut BackgroundColor, &mut BorderColor)>,
) {
    for (it, mut bg, mut border) in &mut items {
        let sel = it.0 == cursor.0;
        bg.0 = widget::row_background(sel, false);
        *border = widget::row_border(sel);
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<PauseCursor>()
        .add_systems(OnEnter(PlayState::Paused), spawn)
        .add_systems(
            Update,
            (
                open_or_close.run_if(in_state(Screen::Playing)),
                (input, highlight)
                    .chain()
                    .run_if(in_state(PlayState::Paused)),
            )
                .chain()
                .before(SettingsInput),
        );
}
