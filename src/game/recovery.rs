//! Crash safety for live runs, and recovery of interrupted ones.
//!
//! While a run plays, every tick the session fed the core is mirrored into a
//! [`Journal`] (`<records>/<name>.journal`, flushed to disk once a second). When the run
//! ends and its record is written, the journal is deleted; when the trainee quits or
//! restarts the run on purpose it is deleted too. If the program dies (crash, power cut,
//! window closed mid-run) the journal stays behind.
//!
//! On the scenario list, leftover journals are offered in a panel: per run,
//! **Debrief** (turn it into an ordinary record and open its debrief), **Replay** (turn
//! it into a record and open it in the review viewer) or **Discard** (delete it, after a
//! second press). "Decide later" hides the panel until the next start.
//!
//! [`plugin`] is the logic (journalling, scanning, acting on [`RecoveryRequest`]s) and
//! runs headless; [`ui_plugin`] draws the panel.

use crate::assess::debrief::Debrief;
use crate::format::scenario::Scenario;
use crate::format::vocab::Tone;
use crate::game::assets::{Library, RunScenario, ScenarioRoots};
use crate::game::live::session::RunSource;
use crate::game::review::OpenReplay;
use crate::game::state::{ActiveScenario, Launch, PlayState, Screen, Session, TickSet};
use crate::game::theme::{self, UiFonts, color, size, widget};
use crate::records::journal::{self, Interrupted, Journal, JournalHeader};
use crate::records::record::{records_dir, unique_name};
use crate::sim::script::InputLog;
use crate::sim::{DT, Hands, Sim, TickInput, TraineeState};
use bevy::ecs::hierarchy::ChildSpawnerCommands;
use bevy::input::InputSystems;
use bevy::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The journal of the run in progress.
#[derive(Resource, Default)]
pub struct RunJournal {
    journal: Option<Journal>,
    /// Ticks of `Session.log` already written.
    fed: u32,
    /// Index of the next `Session.log` entry to write.
    next_entry: usize,
    last: Option<TraineeState>,
    /// Creating or writing the journal failed: do not retry every tick.
    failed: bool,
}

impl RunJournal {
    /// Where the journal of the run in progress is, if one is open.
    pub fn path(&self) -> Option<&Path> {
        self.journal.as_ref().map(Journal::path)
    }
}

/// Journals this program kept on purpose (the run ended but its record could not be
/// saved): not "interrupted", so not offered again while it runs.
#[derive(Resource, Default, Debug)]
pub struct KeptJournals(pub Vec<PathBuf>);

/// One interrupted run found in the records folder.
#[derive(Debug, Clone, PartialEq)]
pub struct InterruptedRun {
    pub path: PathBuf,
    pub trainee: String,
    pub scenario_id: String,
    pub started_unix: u64,
    /// Seconds of the run the journal holds.
    pub seconds: f32,
    /// Why it cannot be recovered (damaged journal), if so: only Discard is offered.
    pub problem: Option<String>,
}

/// The interrupted runs on offer (filled on entering the scenario list).
#[derive(Resource, Default, Debug)]
pub struct InterruptedRuns {
    pub runs: Vec<InterruptedRun>,
    /// "Decide later": do not show the panel again until the next start.
    pub dismissed: bool,
    /// The outcome of the last request that failed, shown in the panel.
    pub status: Option<String>,
}

impl InterruptedRuns {
    pub fn showing(&self) -> bool {
        !self.dismissed && !self.runs.is_empty()
    }
}

/// What to do with an interrupted run (from the panel, or tests).
#[derive(Message, Debug, Clone, PartialEq)]
pub enum RecoveryRequest {
    /// Finalise it into a record and open its debrief.
    Debrief(PathBuf),
    /// Finalise it into a record and open it in the review viewer.
    Replay(PathBuf),
    /// Delete the journal.
    Discard(PathBuf),
}

/// Journalling, scanning and recovery (no drawing).
pub fn plugin(app: &mut App) {
    app.init_resource::<RunJournal>()
        .init_resource::<KeptJournals>()
        .init_resource::<InterruptedRuns>()
        .add_message::<RecoveryRequest>()
        .add_systems(
            FixedUpdate,
            mirror
                .after(TickSet::React)
                .run_if(in_state(PlayState::Running).and_then(resource_exists::<Session>)),
        )
        .add_systems(OnExit(Screen::Playing), close_journal)
        .add_systems(OnEnter(Screen::Select), scan)
        .add_systems(Update, handle_requests);
}

// ---------------------------------------------------------------------------------------
// Journalling the live run
// ---------------------------------------------------------------------------------------

/// Every tick: open the run's journal (once) and write the ticks logged since.
fn mirror(
    mut rj: ResMut<RunJournal>,
    session: Res<Session>,
    run: Option<Res<RunSource>>,
    launch: Res<Launch>,
) {
    let rj = &mut *rj;
    if rj.failed {
        return;
    }
    if rj.journal.is_none() {
        if session.debrief.is_some() {
            return;
        }
        let Some(run) = run else { return };
        open_journal(rj, &session, &run.0, &launch);
    }
    feed(rj, &session.log);
}

/// Start the run's journal in the records folder (on failure the run goes on, not
/// crash-safe).
fn open_journal(rj: &mut RunJournal, session: &Session, run: &ActiveScenario, launch: &Launch) {
    let dir = records_dir(launch.records.as_deref());
    let name = unique_name(&run.scenario.id, &session.trainee);
    let header = JournalHeader::new(
        &run.scenario,
        &run.hash,
        Some(&run.path),
        session.seed,
        &session.trainee,
        session.cohort.as_deref(),
    )
    .pinned(session.pinned.as_deref());
    match Journal::create(&dir, &name, header) {
        Ok(j) => {
            info!("journalling the run to {}", j.path().display());
            rj.journal = Some(j);
            rj.fed = 0;
            rj.next_entry = 0;
            rj.last = None;
        }
        Err(e) => {
            warn!(
                "cannot start the run's journal in {}: {e}; the run is not crash-safe",
                dir.display()
            );
            rj.failed = true;
        }
    }
}

/// Write the ticks of `log` not yet in the journal, one input per tick.
fn feed(rj: &mut RunJournal, log: &InputLog) {
    let Some(j) = rj.journal.as_mut() else { return };
    while rj.fed < log.ticks {
        let tick = rj.fed;
        let (mut action, mut voice) = (None, None);
        if let Some(e) = log.entries.get(rj.next_entry)
            && e.tick == tick
        {
            if let Some(t) = e.trainee {
                rj.last = Some(t);
            }
            action = e.action.clone();
            voice = e.voice.clone();
            rj.next_entry += 1;
        }
        let input = TickInput {
            trainee: rj.last.unwrap_or_default(),
            action,
        };
        if let Err(e) = j.push_spoken(tick, &input, voice) {
            warn!(
                "the run's journal {} could not be written: {e}",
                j.path().display()
            );
            rj.failed = true;
            return;
        }
        rj.fed += 1;
    }
}

/// Leaving the run: a finished run has its record, a quit or restarted one was given up
/// on purpose; either way the journal goes, unless the record could not be saved.
fn close_journal(
    mut rj: ResMut<RunJournal>,
    session: Option<Res<Session>>,
    mut kept: ResMut<KeptJournals>,
) {
    let journal = rj.journal.take();
    *rj = RunJournal::default();
    let Some(mut j) = journal else { return };
    let path = j.path().to_path_buf();
    let unsaved = session
        .as_deref()
        .is_some_and(|s| s.debrief.is_some() && s.record_path.is_none());
    if unsaved {
        let ticks = j.log().ticks;
        if let Err(e) = j.flush(ticks) {
            warn!(
                "the run's journal {} could not be flushed: {e}",
                path.display()
            );
        }
        warn!(
            "the record could not be saved; the run's inputs are kept in {}",
            path.display()
        );
        kept.0.push(path);
        return;
    }
    drop(j);
    if let Err(e) = std::fs::remove_file(&path)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        warn!("cannot remove the journal {}: {e}", path.display());
    }
}

// ---------------------------------------------------------------------------------------
// Interrupted runs
// ---------------------------------------------------------------------------------------

fn describe(path: &Path) -> InterruptedRun {
    match journal::recover(path) {
        Ok(run) => InterruptedRun {
            path: path.to_path_buf(),
            trainee: run.header.trainee.clone(),
            scenario_id: run.header.scenario_id.clone(),
            started_unix: run.header.started_unix,
            seconds: run.log.ticks as f32 * DT,
            problem: None,
        },
        Err(e) => InterruptedRun {
            path: path.to_path_buf(),
            trainee: String::new(),
            scenario_id: String::new(),
            started_unix: 0,
            seconds: 0.0,
            problem: Some(e.to_string()),
        },
    }
}

/// A journal written to within this many seconds may belong to a run still playing on
/// another computer sharing the records folder (live journals are flushed every second):
/// it is not offered.
pub const LIVE_SECS: u64 = 20;

fn recently_written(p: &Path) -> bool {
    std::fs::metadata(p)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age.as_secs() < LIVE_SECS)
}

/// The interrupted runs in the records folder (not counting journals kept on purpose,
/// nor ones that may still be in use).
pub fn find_interrupted(dir: &Path, kept: &[PathBuf]) -> Vec<InterruptedRun> {
    journal::interrupted_runs(dir)
        .into_iter()
        .filter(|p| !kept.contains(p) && !recently_written(p))
        .map(|p| describe(&p))
        .collect()
}

fn scan(mut runs: ResMut<InterruptedRuns>, launch: Res<Launch>, kept: Res<KeptJournals>) {
    let dir = records_dir(launch.records.as_deref());
    runs.runs = find_interrupted(&dir, &kept.0);
    runs.status = None;
    if !runs.runs.is_empty() {
        info!(
            "{} interrupted run(s) in {}",
            runs.runs.len(),
            dir.display()
        );
    }
}

/// Turn an interrupted run into a record next to its journal (which is removed). Its
/// scenario is found by id and content hash ([`RunScenario::find`]), never by the path the
/// journal names.
pub fn finalise(
    path: &Path,
    roots: Option<&ScenarioRoots>,
) -> Result<(PathBuf, Debrief, Arc<Scenario>, Interrupted), String> {
    let run = journal::recover(path).map_err(|e| e.to_string())?;
    let h = &run.header;
    let scenario = RunScenario::find(roots, &h.scenario_id, &h.scenario_hash)?.scenario;
    let (record, debrief) = journal::finalise_interrupted(&run, Arc::clone(&scenario))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    info!(
        "recovered the interrupted run {} into {}",
        path.display(),
        record.display()
    );
    Ok((record, debrief, scenario, run))
}

/// A session showing a recovered run's debrief (as if it had just ended).
fn recovered_session(
    scenario: Arc<Scenario>,
    run: &Interrupted,
    d: Debrief,
    record: PathBuf,
) -> Option<Session> {
    let h = &run.header;
    let mut sim = Sim::with_temperament(scenario, h.seed, h.temperament.as_deref()).ok()?;
    // Bring the core to where the run stopped (the debrief already says the same).
    let _ = run.log.replay(&mut sim);
    Some(Session {
        sim,
        seed: run.header.seed,
        pinned: run.header.temperament.clone(),
        trainee: run.header.trainee.clone(),
        cohort: run.header.cohort.clone(),
        tone: Tone::Neutral,
        hands: Hands::Visible,
        show_hud: true,
        log: run.log.clone(),
        last_logged: None,
        pending: None,
        debrief: Some(d),
        record_path: Some(record),
        record_error: None,
    })
}

fn handle_requests(
    mut commands: Commands,
    mut requests: MessageReader<RecoveryRequest>,
    mut runs: ResMut<InterruptedRuns>,
    roots: Option<Res<ScenarioRoots>>,
    mut next: ResMut<NextState<Screen>>,
) {
    for req in requests.read() {
        let path = match req {
            RecoveryRequest::Debrief(p)
            | RecoveryRequest::Replay(p)
            | RecoveryRequest::Discard(p) => p,
        };
        if let RecoveryRequest::Discard(p) = req {
            match std::fs::remove_file(p) {
                Ok(()) => {
                    info!("discarded the interrupted run {}", p.display());
                    runs.runs.retain(|r| &r.path != p);
                    runs.status = None;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    runs.runs.retain(|r| &r.path != p);
                }
                Err(e) => runs.status = Some(format!("Could not delete {}: {e}", p.display())),
            }
            continue;
        }
        match finalise(path, roots.as_deref()) {
            Ok((record, d, scenario, run)) => {
                runs.runs.retain(|r| &r.path != path);
                runs.status = None;
                match req {
                    RecoveryRequest::Replay(_) => {
                        commands.insert_resource(OpenReplay(record));
                        next.set(Screen::Replay);
                    }
                    _ => match recovered_session(scenario, &run, d, record.clone()) {
                        Some(s) => {
                            commands.insert_resource(s);
                            next.set(Screen::Debrief);
                        }
                        None => {
                            commands.insert_resource(OpenReplay(record));
                            next.set(Screen::Replay);
                        }
                    },
                }
            }
            Err(e) => {
                warn!("cannot recover {}: {e}", path.display());
                runs.status = Some(format!("Could not recover this run: {e}"));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The panel on the scenario list
// ---------------------------------------------------------------------------------------

#[derive(Resource, Default)]
struct PanelState {
    cursor: usize,
    /// Discard was pressed once for this run: the next press deletes it.
    confirm_discard: Option<PathBuf>,
}

#[derive(Component)]
struct RecoveryPanel;

#[derive(Component, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Debrief(usize),
    Replay(usize),
    Discard(usize),
    Later,
}

/// The interrupted-runs panel on the scenario list.
pub fn ui_plugin(app: &mut App) {
    app.init_resource::<PanelState>()
        .add_systems(
            PreUpdate,
            panel_keys
                .after(InputSystems)
                .run_if(in_state(Screen::Select)),
        )
        .add_systems(
            Update,
            (panel_buttons, rebuild_panel)
                .chain()
                .after(handle_requests)
                .run_if(in_state(Screen::Select)),
        );
}

fn ago(started: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    if started == 0 || started > now {
        return "at an unknown time".into();
    }
    let s = now - started;
    match s {
        0..120 => "just now".into(),
        120..7200 => format!("{} minutes ago", s / 60),
        7200..172_800 => format!("{} hours ago", s / 3600),
        _ => format!("{} days ago", s / 86_400),
    }
}

/// Keyboard for the panel. While it shows, it has the keyboard (the list under it
/// does not react): ↑/↓ choose a run, D debrief, R replay, Delete discard, Esc later.
fn panel_keys(
    keys: Option<ResMut<ButtonInput<KeyCode>>>,
    mut runs: ResMut<InterruptedRuns>,
    mut st: ResMut<PanelState>,
    mut requests: MessageWriter<RecoveryRequest>,
) {
    let Some(mut keys) = keys else { return };
    if !runs.showing() {
        return;
    }
    let n = runs.runs.len();
    if st.cursor >= n {
        st.cursor = n - 1;
    }
    let p = |k: KeyCode| keys.just_pressed(k);
    if p(KeyCode::ArrowDown) {
        st.cursor = (st.cursor + 1) % n;
        st.confirm_discard = None;
    }
    if p(KeyCode::ArrowUp) {
        st.cursor = (st.cursor + n - 1) % n;
        st.confirm_discard = None;
    }
    let chosen = if p(KeyCode::KeyD) || p(KeyCode::Enter) || p(KeyCode::NumpadEnter) {
        Some(Choice::Debrief(st.cursor))
    } else if p(KeyCode::KeyR) {
        Some(Choice::Replay(st.cursor))
    } else if p(KeyCode::Delete) || p(KeyCode::KeyX) {
        Some(Choice::Discard(st.cursor))
    } else if p(KeyCode::Escape) || p(KeyCode::KeyL) {
        Some(Choice::Later)
    } else {
        None
    };
    if let Some(c) = chosen {
        act(c, &mut runs, &mut st, &mut requests);
    }
    // The list under the panel must not react; F12 (screenshot) still works.
    let shot = keys.just_pressed(KeyCode::F12);
    keys.reset_all();
    if shot {
        keys.press(KeyCode::F12);
    }
}

fn act(
    c: Choice,
    runs: &mut InterruptedRuns,
    st: &mut PanelState,
    requests: &mut MessageWriter<RecoveryRequest>,
) {
    let path = |i: usize| {
        runs.runs
            .get(i)
            .map(|r| (r.path.clone(), r.problem.is_some()))
    };
    match c {
        Choice::Later => runs.dismissed = true,
        Choice::Debrief(i) | Choice::Replay(i) => {
            st.cursor = i;
            st.confirm_discard = None;
            if let Some((p, broken)) = path(i) {
                if broken {
                    runs.status =
                        Some("This journal is damaged and cannot be recovered; discard it.".into());
                } else if matches!(c, Choice::Replay(_)) {
                    requests.write(RecoveryRequest::Replay(p));
                } else {
                    requests.write(RecoveryRequest::Debrief(p));
                }
            }
        }
        Choice::Discard(i) => {
            st.cursor = i;
            if let Some((p, _)) = path(i) {
                if st.confirm_discard.as_ref() == Some(&p) {
                    st.confirm_discard = None;
                    requests.write(RecoveryRequest::Discard(p));
                } else {
                    st.confirm_discard = Some(p);
                }
            }
        }
    }
}

fn panel_buttons(
    q: Query<(&Interaction, &Choice), Changed<Interaction>>,
    mut runs: ResMut<InterruptedRuns>,
    mut st: ResMut<PanelState>,
    mut requests: MessageWriter<RecoveryRequest>,
) {
    let pressed: Vec<Choice> = q
        .iter()
        .filter(|(i, _)| **i == Interaction::Pressed)
        .map(|(_, c)| *c)
        .collect();
    for c in pressed {
        act(c, &mut runs, &mut st, &mut requests);
    }
}

fn rebuild_panel(
    mut commands: Commands,
    fonts: Option<Res<UiFonts>>,
    runs: Res<InterruptedRuns>,
    st: Res<PanelState>,
    existing: Query<Entity, With<RecoveryPanel>>,
    lib: Option<Res<Library>>,
    mut titles: Local<Vec<String>>,
) {
    let Some(fonts) = fonts else { return };
    // Scenario titles from the library (it loads in the background).
    let now: Vec<String> = runs
        .runs
        .iter()
        .map(|r| {
            lib.as_ref()
                .and_then(|l| {
                    l.playable().find_map(|e| {
                        e.playable()
                            .filter(|a| a.scenario.id == r.scenario_id)
                            .map(|a| a.scenario.title.clone())
                    })
                })
                .unwrap_or_else(|| r.scenario_id.clone())
        })
        .collect();
    let have = !existing.is_empty();
    if have == runs.showing() && !runs.is_changed() && !st.is_changed() && *titles == now {
        return;
    }
    *titles = now;
    for e in &existing {
        commands.entity(e).despawn();
    }
    if !runs.showing() {
        return;
    }
    commands
        .spawn((
            Name::new("Interrupted runs"),
            RecoveryPanel,
            widget::modal_backdrop(35),
            DespawnOnExit(Screen::Select),
        ))
        .with_children(|root| {
            root.spawn(widget::modal_panel(1000.0, color::WARN, Overflow::clip()))
                .with_children(|p| panel_contents(p, &fonts, &runs, &st, &titles));
        });
}

/// The heading, the runs (scrolling when they do not fit), the last failure, the keys.
fn panel_contents(
    p: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    runs: &InterruptedRuns,
    st: &PanelState,
    titles: &[String],
) {
    let n = runs.runs.len();
    p.spawn(fonts.bold(
        if n == 1 {
            "A run was interrupted".to_string()
        } else {
            format!("{n} runs were interrupted")
        },
        size::HEADING,
        color::WARN,
    ));
    p.spawn(fonts.text(
        "The program closed before these runs ended. Their inputs were saved as they \
         played: turn a run into a session record and open its debrief or replay, or \
         discard it.",
        size::SMALL,
        color::TEXT,
    ));
    p.spawn(widget::scroll_panel(Node {
        flex_direction: FlexDirection::Column,
        flex_shrink: 1.0,
        min_height: Val::Px(0.0),
        row_gap: Val::Px(8.0),
        ..default()
    }))
    .insert((BorderColor::all(Color::NONE), BackgroundColor(Color::NONE)))
    .with_children(|list| {
        for (i, r) in runs.runs.iter().enumerate().take(6) {
            let sel = i == st.cursor.min(n - 1);
            let title = titles.get(i).unwrap_or(&r.scenario_id);
            let confirming = st.confirm_discard.as_ref() == Some(&r.path);
            run_row(list, fonts, i, r, title, sel, confirming);
        }
    });
    if n > 6 {
        p.spawn(fonts.text(
            format!("…and {} more (they are offered again after these)", n - 6),
            size::SMALL,
            color::MUTED,
        ));
    }
    if let Some(s) = &runs.status {
        p.spawn(fonts.text(s.clone(), size::SMALL, color::BAD));
    }
    p.spawn(widget::bar()).with_children(|f| {
        f.spawn(widget::key_hints(
            fonts,
            "↑ ↓ choose   D debrief   R replay   Delete discard   Esc later",
        ));
        theme::spawn_button(f, fonts, "Decide later", Choice::Later);
    });
}

/// One interrupted run: who, which scenario, how long and when (or why it is damaged),
/// and its buttons (on a line of their own when the text is large).
fn run_row(
    list: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    i: usize,
    r: &InterruptedRun,
    title: &str,
    selected: bool,
    confirming: bool,
) {
    list.spawn(widget::list_row(selected))
        .insert((
            BackgroundColor(if selected {
                color::PANEL_LIGHT
            } else {
                color::PANEL
            }),
            Node {
                flex_wrap: FlexWrap::Wrap,
                row_gap: Val::Px(8.0),
                flex_shrink: 0.0,
                ..widget::list_row_node()
            },
        ))
        .with_children(|row| {
            row.spawn(Node {
                flex_direction: FlexDirection::Column,
                flex_shrink: 1.0,
                ..default()
            })
            .with_children(|c| match &r.problem {
                None => {
                    c.spawn(fonts.bold(
                        format!("{} — {title}", r.trainee),
                        size::BODY,
                        color::TEXT,
                    ));
                    c.spawn(fonts.text(
                        format!(
                            "{} played · started {}",
                            crate::assess::score::clock(r.seconds),
                            ago(r.started_unix)
                        ),
                        size::SMALL,
                        color::MUTED,
                    ));
                }
                Some(problem) => {
                    let name = r
                        .path
                        .file_name()
                        .map_or(String::new(), |f| f.to_string_lossy().to_string());
                    c.spawn(fonts.bold(name, size::BODY, color::TEXT));
                    c.spawn(fonts.text(problem.clone(), size::SMALL, color::BAD));
                }
            });
            row.spawn(widget::button_row()).with_children(|b| {
                if r.problem.is_none() {
                    theme::spawn_button(b, fonts, "Debrief", Choice::Debrief(i));
                    theme::spawn_button(b, fonts, "Replay", Choice::Replay(i));
                }
                let discard = if confirming {
                    "Really discard?"
                } else {
                    "Discard"
                };
                theme::spawn_button(b, fonts, discard, Choice::Discard(i));
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::review::ReplayView;
    use crate::records::record::{Record, content_hash};
    use crate::sim::script::{Script, run_script};

    /// The bundled scenario folder, as the trainer resolves it.
    fn roots() -> ScenarioRoots {
        ScenarioRoots {
            library: Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
            ..Default::default()
        }
    }

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("deescalate-game-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// A short knife_sidewalk run whose record names `stored` as its scenario file.
    fn record(dir: &Path, stored: &str) -> (PathBuf, Record) {
        let file = roots().library.join("knife_sidewalk.ron");
        let bytes = std::fs::read(&file).unwrap();
        let (sc, _) = crate::check::load_scenario(&file).unwrap();
        let sc = Arc::new(sc);
        let script = Script::parse("0 walk 4.2 7.5\n12 say introduce calm\n0:40 end\n").unwrap();
        let mut sim = Sim::with_temperament(Arc::clone(&sc), 1, None).unwrap();
        let log = run_script(&mut sim, &script).unwrap();
        let d = crate::assess::debrief::build(&sc, &sim.result(), Some("Ada"));
        let mut rec = Record::new(&sc, content_hash(&bytes), None, 1, "Ada", None, log, &d);
        rec.scenario_path = Some(stored.to_string());
        let path = dir.join("run.json");
        rec.save(&path).unwrap();
        (path, rec)
    }

    #[test]
    fn replay_and_recovery_find_the_scenario_by_id_and_hash_never_by_the_stored_path() {
        let dir = tmp("stored-path");
        let (path, rec) = record(&dir, "/etc/passwd");
        // The replay opens on the bundled scenario, not on the file the record names.
        let view = ReplayView::open(&path, Some(&roots())).expect("the replay opens");
        assert_eq!(view.scenario.id, "knife_sidewalk");
        assert!(view.notice.is_none(), "the very version: {:?}", view.notice);

        // An interrupted run whose journal names /etc/passwd is recovered on it too.
        let mut v: serde_json::Value = serde_json::to_value(&rec).unwrap();
        let mut text = serde_json::json!({
            "journal": "deescalate-journal", "version": 1, "trainee": "Ada",
            "scenario_id": v["scenario_id"], "scenario_hash": v["scenario_hash"],
            "scenario_path": "/etc/passwd", "seed": 1, "started_unix": 0
        })
        .to_string();
        text.push('\n');
        for e in v["inputs"]["entries"].as_array().unwrap().iter().take(2) {
            text.push_str(&e.to_string());
            text.push('\n');
        }
        let j = dir.join("crashed.journal");
        std::fs::write(&j, text).unwrap();
        let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let f = std::fs::File::options().write(true).open(&j).unwrap();
        f.set_modified(an_hour_ago).unwrap();
        let (record, debrief, scenario, _) =
            finalise(&j, Some(&roots())).expect("the run is recovered");
        assert!(record.is_file());
        assert_eq!(scenario.id, "knife_sidewalk");
        assert_eq!(debrief.trainee.as_deref(), Some("Ada"));

        // A scenario that is in no known folder: a clear message, and nothing of the file
        // the record names.
        v["scenario_id"] = serde_json::json!("passwd");
        std::fs::write(&path, v.to_string()).unwrap();
        let err = ReplayView::open(&path, Some(&roots())).expect_err("refused");
        assert!(
            err.contains("`passwd`") && err.contains("scenario folders"),
            "{err}"
        );
        assert!(
            !err.contains("root:") && !err.contains("/etc/passwd"),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
