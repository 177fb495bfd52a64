//! The fixed-tick bridge to the core: measure the trainee, step [`Sim`], log the input,
//! re-broadcast events, and on the ending build the debrief and write the record.
//!
//! Every `FixedUpdate` (at [`TICK_HZ`]) while [`PlayState::Running`]:
//! 1. [`TickSet::Measure`]: the player plugin (or autoplay) writes [`TraineeBody`]
//!    (position, velocity, facing, cover); headless tests write it directly;
//! 2. [`TickSet::Step`]: [`TraineeAct`] messages are queued into `Session.pending`, one
//!    [`TickInput`] is built, logged and stepped, and new events go out as [`SimEvent`];
//! 3. [`TickSet::React`]: presentation systems that follow the core (subject, partner).
//!
//! The fixed tick follows real time down to [`SLOWEST_FRAME`] per frame: a slow PC runs
//! several ticks a frame (catching up, none dropped) rather than slowing the scenario
//! clock, and the player walks inside the tick, so distances, clock and scores agree at
//! any frame rate. Only a frame longer than that (a hang) is not counted in full.
//!
//! When the core reaches an ending the debrief is built and the record written at once,
//! but the playing screen stays up for an [`EndingHold`] long enough to read the subject's
//! last reply (a key skips it, see [`SkipEnding`]); [`EndRun`] goes straight to the debrief.
//!
//! An action the core refuses (an option no longer offered, say) is dropped and reported
//! with an [`ActRejected`] message; the tick still runs. Nothing here panics on bad input.

use crate::assess::debrief::{self, Debrief};
use crate::format::scenario::{Mode, Spawn};
use crate::format::vocab::Tone;
use crate::game::assets::ScenarioErrors;
use crate::game::state::{
    ActiveScenario, Launch, PlayState, Restart, Screen, Session, SimEvent, TickSet, TraineeAct,
};
use crate::records::record::{Record, records_dir, unique_name};
use crate::sim::{Action, EventKind, Hands, Sim, SimError, TICK_HZ, TickInput, TraineeState};
use bevy::prelude::*;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;

/// The longest frame whose time the fixed tick catches up in full (Bevy's default is a
/// quarter second, which slowed the scenario clock below four frames a second).
pub const SLOWEST_FRAME: std::time::Duration = std::time::Duration::from_secs(1);

/// Most actions kept waiting for later ticks (more than this are dropped as accidental).
const MAX_QUEUED: usize = 4;

/// The trainee's body as measured for the current tick. Written in [`TickSet::Measure`]
/// by the player plugin (or autoplay); hands come from `Session.hands`.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq)]
pub struct TraineeBody {
    pub x: f32,
    pub z: f32,
    /// Ground-plane velocity, m/s.
    pub vx: f32,
    pub vz: f32,
    /// Yaw in degrees (0 = looking along -z).
    pub facing: f32,
    /// A prop marked `cover` blocks the line from the trainee's eyes to the subject.
    pub in_cover: bool,
}

impl TraineeBody {
    pub fn at(spawn: &Spawn) -> TraineeBody {
        TraineeBody {
            x: spawn.x,
            z: spawn.z,
            facing: spawn.facing,
            ..default()
        }
    }

    fn state(&self, hands: Hands) -> TraineeState {
        let f = |v: f32| if v.is_finite() { v } else { 0.0 };
        TraineeState {
            x: f(self.x),
            z: f(self.z),
            vx: f(self.vx),
            vz: f(self.vz),
            facing: f(self.facing),
            hands,
            in_cover: self.in_cover,
        }
    }
}

/// The scenario file this run was started from. [`ActiveScenario`] may be swapped by a
/// hot reload mid-run; the record must name the version that was actually played.
#[derive(Resource, Clone)]
pub struct RunSource(pub ActiveScenario);

/// The core refused an action (for example an option that is no longer offered).
/// The action was dropped; `reason` is a sentence for the trainee.
#[derive(Message, Debug, Clone)]
pub struct ActRejected {
    pub action: Action,
    pub reason: String,
}

/// End the run now (autoplay's `end`, or "end scenario" from a menu): the debrief is
/// built from what happened so far and the record is written.
#[derive(Message, Debug, Clone, Copy)]
pub struct EndRun;

/// The run has ended by itself; the debrief opens when `left` seconds of play have passed
/// (the clock stops while paused), so the last reply is on screen and heard first.
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct EndingHold {
    pub left: f32,
}

/// Open the debrief now, without waiting out the [`EndingHold`].
#[derive(Message, Debug, Clone, Copy)]
pub struct SkipEnding;

/// Seconds to hold the ending: time to read the reply said as the run ended (at least 3 s,
/// at most 8 s), or 3 s to take in the last moment when there was none.
pub fn ending_hold_secs(reply: Option<&str>) -> f32 {
    reply.map_or(3.0, |r| {
        (2.5 + r.chars().count() as f32 * 0.06).clamp(3.0, 8.0)
    })
}

/// What the subject said in the tick the ending was reached, if anything.
fn closing_reply(sim: &Sim) -> Option<&str> {
    let events = sim.events();
    let end = events
        .iter()
        .rev()
        .find(|e| matches!(e.kind, EventKind::EndingReached { .. }))?;
    events
        .iter()
        .rev()
        .filter(|e| e.tick == end.tick)
        .find_map(|e| match &e.kind {
            EventKind::SubjectLine { text, .. } => Some(text.as_str()),
            _ => None,
        })
}

/// Bookkeeping for one run.
#[derive(Resource, Debug, Default)]
struct Outbox {
    /// Events already sent as [`SimEvent`].
    sent: usize,
    /// Actions waiting for later ticks (one action per tick).
    queue: VecDeque<Action>,
    /// [`EndRun`] was asked for: no more ticks.
    ended: bool,
}

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(Time::<Fixed>::from_hz(f64::from(TICK_HZ)))
        .init_resource::<TraineeBody>()
        .init_resource::<Outbox>()
        .add_message::<ActRejected>()
        .add_message::<EndRun>()
        .add_message::<SkipEnding>()
        .add_systems(Startup, catch_up_slow_frames)
        .add_systems(OnEnter(Screen::Briefing), begin_session)
        .add_systems(
            OnEnter(Screen::Playing),
            (ensure_session, reset_to_spawn).chain(),
        )
        .add_systems(OnExit(Screen::Debrief), end_session)
        .add_systems(OnExit(Screen::Playing), |mut commands: Commands| {
            commands.remove_resource::<EndingHold>()
        })
        .add_systems(OnEnter(Screen::Select), end_session)
        .add_systems(
            FixedUpdate,
            step.in_set(TickSet::Step)
                .run_if(in_state(PlayState::Running).and_then(resource_exists::<Session>)),
        )
        .add_systems(
            Update,
            (
                refresh_briefing.run_if(in_state(Screen::Briefing)),
                (finish, hold_ending)
                    .chain()
                    .run_if(in_state(Screen::Playing).and_then(resource_exists::<Session>)),
                restart,
            ),
        );
}

fn catch_up_slow_frames(mut time: ResMut<Time<Virtual>>) {
    time.set_max_delta(SLOWEST_FRAME);
}

/// A seed that differs from run to run.
fn time_seed() -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let mut x = now.as_nanos() as u64 ^ (u64::from(std::process::id()) << 40);
    // splitmix64 finaliser: nearby times give unrelated seeds.
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A fresh run of `active`.
pub fn new_session(active: &ActiveScenario, launch: &Launch) -> Result<Session, SimError> {
    let seed = launch.seed.unwrap_or_else(time_seed);
    let pinned = launch.temperament.clone();
    let sim = Sim::with_temperament(Arc::clone(&active.scenario), seed, pinned.as_deref())?;
    let trainee = launch
        .trainee
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("Trainee")
        .to_string();
    Ok(Session {
        sim,
        seed,
        pinned,
        trainee,
        cohort: launch.cohort.clone(),
        tone: Tone::Neutral,
        hands: Hands::Visible,
        show_hud: !(launch.assessment || active.scenario.mode == Mode::Assessment),
        log: Default::default(),
        last_logged: None,
        pending: None,
        debrief: None,
        record_path: None,
        record_error: None,
    })
}

fn install(
    commands: &mut Commands,
    active: &ActiveScenario,
    launch: &Launch,
    outbox: &mut Outbox,
    errors: &mut ScenarioErrors,
    next: &mut NextState<Screen>,
) {
    match new_session(active, launch) {
        Ok(session) => {
            commands.insert_resource(session);
            commands.insert_resource(RunSource(active.clone()));
            *outbox = Outbox::default();
        }
        Err(e) => {
            errors.0 = Some(format!(
                "{}: this scenario cannot start: {e}",
                active.path.display()
            ));
            commands.remove_resource::<Session>();
            next.set(Screen::Select);
        }
    }
}

fn begin_session(
    mut commands: Commands,
    active: Option<Res<ActiveScenario>>,
    launch: Res<Launch>,
    mut outbox: ResMut<Outbox>,
    mut errors: ResMut<ScenarioErrors>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(active) = active else {
        errors.0 = Some("No scenario is selected.".into());
        next.set(Screen::Select);
        return;
    };
    install(
        &mut commands,
        &active,
        &launch,
        &mut outbox,
        &mut errors,
        &mut next,
    );
}

/// Playing entered without a briefing (should not happen): start a session anyway.
fn ensure_session(
    mut commands: Commands,
    session: Option<Res<Session>>,
    active: Option<Res<ActiveScenario>>,
    launch: Res<Launch>,
    mut outbox: ResMut<Outbox>,
    mut errors: ResMut<ScenarioErrors>,
    mut next: ResMut<NextState<Screen>>,
) {
    if session.is_some() {
        return;
    }
    match active {
        Some(active) => install(
            &mut commands,
            &active,
            &launch,
            &mut outbox,
            &mut errors,
            &mut next,
        ),
        None => {
            errors.0 = Some("No scenario is selected.".into());
            next.set(Screen::Select);
        }
    }
}

/// The scenario file changed while the briefing is open: brief on the new version.
fn refresh_briefing(
    mut commands: Commands,
    session: Option<Res<Session>>,
    active: Option<Res<ActiveScenario>>,
    launch: Res<Launch>,
    mut outbox: ResMut<Outbox>,
    mut errors: ResMut<ScenarioErrors>,
    mut next: ResMut<NextState<Screen>>,
) {
    let (Some(session), Some(active)) = (session, active) else {
        return;
    };
    if Arc::ptr_eq(session.sim.scenario(), &active.scenario) {
        return;
    }
    install(
        &mut commands,
        &active,
        &launch,
        &mut outbox,
        &mut errors,
        &mut next,
    );
}

fn reset_to_spawn(
    active: Option<Res<RunSource>>,
    mut body: ResMut<TraineeBody>,
    mut outbox: ResMut<Outbox>,
) {
    if let Some(run) = active {
        *body = TraineeBody::at(&run.0.scenario.place.trainee_spawn);
    }
    outbox.queue.clear();
    outbox.ended = false;
}

fn end_session(mut commands: Commands, mut outbox: ResMut<Outbox>) {
    commands.remove_resource::<Session>();
    commands.remove_resource::<RunSource>();
    *outbox = Outbox::default();
}

/// Is `action` something the core will accept now? (`Say` of an option not offered is not.)
fn precheck(sim: &Sim, action: &Action) -> Result<(), String> {
    if let Action::Say { option, .. } = action
        && !sim.offered_choices().iter().any(|c| &c.id == option)
    {
        return Err(format!(
            "\"{option}\" is not something you can say at this point"
        ));
    }
    Ok(())
}

/// One core tick.
fn step(
    mut session: ResMut<Session>,
    body: Res<TraineeBody>,
    mut acts: MessageReader<TraineeAct>,
    mut end: MessageReader<EndRun>,
    mut outbox: ResMut<Outbox>,
    mut events: MessageWriter<SimEvent>,
    mut rejected: MessageWriter<ActRejected>,
) {
    for TraineeAct(a) in acts.read() {
        if outbox.queue.len() < MAX_QUEUED {
            outbox.queue.push_back(a.clone());
        } else {
            rejected.write(ActRejected {
                action: a.clone(),
                reason: "one thing at a time: wait for a moment before the next line".into(),
            });
        }
    }
    if end.read().count() > 0 {
        outbox.ended = true;
    }
    let s = &mut *session;
    if outbox.ended || s.debrief.is_some() || s.sim.is_finished() || s.sim.out_of_time() {
        return;
    }
    if s.pending.is_none() {
        s.pending = outbox.queue.pop_front();
    }
    let mut action = s.pending.take();
    if let Some(a) = &action
        && let Err(reason) = precheck(&s.sim, a)
    {
        rejected.write(ActRejected {
            action: a.clone(),
            reason,
        });
        action = None;
    }
    let tick = s.sim.tick();
    let mut input = TickInput {
        trainee: body.state(s.hands),
        action,
    };
    match s.sim.step(&input) {
        Ok(_) => {}
        Err(SimError::Finished) => return,
        Err(e) => {
            // The action was refused before it changed anything: run the tick without it.
            if let Some(a) = input.action.take() {
                rejected.write(ActRejected {
                    action: a,
                    reason: e.to_string(),
                });
            }
            if let Err(e) = s.sim.step(&input) {
                warn!("the simulation refused a tick: {e}");
                return;
            }
        }
    }
    s.log.push(tick, &input, &mut s.last_logged);
    let all = s.sim.events();
    for e in all.get(outbox.sent..).unwrap_or_default() {
        events.write(SimEvent(e.clone()));
    }
    outbox.sent = all.len();
}

/// When the core reaches an ending (or runs out of time, or the run is ended): build the
/// debrief, write the record, and open the debrief screen (after an [`EndingHold`] unless
/// the run was ended with [`EndRun`]).
#[allow(clippy::too_many_arguments)]
fn finish(
    mut commands: Commands,
    mut session: ResMut<Session>,
    run: Option<Res<RunSource>>,
    launch: Res<Launch>,
    mut end: MessageReader<EndRun>,
    mut outbox: ResMut<Outbox>,
    mut events: MessageWriter<SimEvent>,
    mut next: ResMut<NextState<Screen>>,
) {
    if end.read().count() > 0 {
        outbox.ended = true;
    }
    let s = &mut *session;
    if s.debrief.is_some() {
        return;
    }
    if !(outbox.ended || s.sim.is_finished() || s.sim.out_of_time()) {
        return;
    }
    let all = s.sim.events();
    for e in all.get(outbox.sent..).unwrap_or_default() {
        events.write(SimEvent(e.clone()));
    }
    outbox.sent = all.len();
    let scenario = Arc::clone(s.sim.scenario());
    let mut d = debrief::build(&scenario, &s.sim.result(), Some(&s.trainee));
    debrief::note_voice(&mut d, &s.log);
    match &run {
        Some(run) => match write_record(s, &run.0, &launch, &d) {
            Ok(path) => {
                info!("session record written to {}", path.display());
                s.record_path = Some(path);
            }
            Err(e) => {
                warn!("{e}");
                s.record_error = Some(e);
            }
        },
        None => {
            s.record_error =
                Some("the run's scenario file is unknown; no record was written".into())
        }
    }
    s.debrief = Some(d);
    if outbox.ended {
        next.set(Screen::Debrief);
    } else {
        let left = ending_hold_secs(closing_reply(&s.sim));
        commands.insert_resource(EndingHold { left });
    }
}

/// Count the [`EndingHold`] down in play time; open the debrief when it runs out or is
/// skipped (or the run is ended).
fn hold_ending(
    hold: Option<ResMut<EndingHold>>,
    time: Res<Time>,
    play: Option<Res<State<PlayState>>>,
    mut skip: MessageReader<SkipEnding>,
    mut end: MessageReader<EndRun>,
    mut next: ResMut<NextState<Screen>>,
) {
    let skipped = skip.read().count() + end.read().count() > 0;
    let Some(mut hold) = hold else { return };
    if play.is_some_and(|p| *p.get() == PlayState::Running) {
        hold.left -= time.delta_secs();
    }
    if skipped || hold.left <= 0.0 {
        next.set(Screen::Debrief);
    }
}

fn write_record(
    s: &Session,
    run: &ActiveScenario,
    launch: &Launch,
    d: &Debrief,
) -> Result<PathBuf, String> {
    let dir = records_dir(launch.records.as_deref());
    std::fs::create_dir_all(&dir).map_err(|e| {
        format!(
            "The session record could not be saved: cannot create the records folder {}: {e}",
            dir.display()
        )
    })?;
    let path = dir.join(unique_name(&run.scenario.id, &s.trainee));
    let record = Record::new(
        &run.scenario,
        run.hash.clone(),
        Some(&run.path),
        s.seed,
        &s.trainee,
        s.cohort.as_deref(),
        s.log.clone(),
        d,
    );
    record
        .save(&path)
        .map_err(|e| format!("The session record could not be saved: {e}"))?;
    Ok(path)
}

/// [`Restart`]: the same scenario again from the briefing, with a new session.
fn restart(
    mut requests: MessageReader<Restart>,
    active: Option<Res<ActiveScenario>>,
    mut next: ResMut<NextState<Screen>>,
) {
    if requests.read().count() > 0 && active.is_some() {
        next.set(Screen::Briefing);
    }
}
