//! Scripted input: a small line-based language that drives a headless run, and the
//! input log that records exactly what a run was fed (for records and replay).
//!
//! ```text
//! # comments start with '#'
//! 0:00  walk 0 12            # walk to x=0, z=12 at 1.4 m/s
//! +6    say introduce calm   # 6 s after the previous line
//! 0:20  run 0 4 at 4         # move fast
//! 25    pause                # deliberate tactical pause
//! +2    hands weapon         # draw (hands visible: `hands visible`)
//! +1    stop
//! 40    inject radio_call    # instructor actions: inject, nudge, force, flag
//! 41    nudge -10
//! 42    force scene calm_talk
//! 43    flag "good use of cover"
//! ```
//! Header lines: `seed 7`, `trainee "Sam"`, `temperament volatile` (meet the subject in
//! that temperament instead of the one the seed draws).
//! Times are seconds (`12.5`), minutes:seconds (`1:05`) or relative to the previous
//! line (`+3`). Lines must not go back in time. After the last line the trainee stands
//! still until an ending is reached or the time limit runs out; `3:00 end` stops earlier.

use crate::format::scenario::{Scenario, Spawn};
use crate::format::vocab::Tone;
use crate::sim::{
    Action, DT, Hands, InstructorAction, Sim, SimError, TICK_HZ, TickInput, TraineeState,
};
use crate::voice::Spoken;
use serde::{Deserialize, Serialize};
use std::fmt;

pub const WALK_SPEED: f32 = 1.4;
pub const RUN_SPEED: f32 = 4.0;

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    MoveTo { x: f32, z: f32, speed: f32 },
    Stop,
    Say { option: String, tone: Tone },
    Pause,
    Hands(Hands),
    Instructor(InstructorAction),
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScriptLine {
    /// 1-based line number in the script file.
    pub line: usize,
    pub tick: u32,
    pub command: Command,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Script {
    pub lines: Vec<ScriptLine>,
    pub seed: Option<u64>,
    pub trainee: Option<String>,
    /// Meet the subject in this temperament instead of the one the seed draws.
    pub temperament: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScriptError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

fn parse_time(tok: &str, prev: f32) -> Option<f32> {
    if let Some(rel) = tok.strip_prefix('+') {
        let v: f32 = rel.parse().ok()?;
        return (v >= 0.0 && v.is_finite()).then_some(prev + v);
    }
    let v = if let Some((m, s)) = tok.split_once(':') {
        let m: u32 = m.parse().ok()?;
        let s: f32 = s.parse().ok()?;
        if !(0.0..60.0).contains(&s) {
            return None;
        }
        m as f32 * 60.0 + s
    } else {
        tok.parse().ok()?
    };
    (v >= 0.0 && v.is_finite()).then_some(v)
}

/// Split a line into whitespace-separated tokens with their 1-based column; a
/// double-quoted token may contain spaces.
fn tokens(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        if chars[i] == '#' {
            break;
        }
        let start = i;
        let mut tok = String::new();
        if chars[i] == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                tok.push(chars[i]);
                i += 1;
            }
            i += 1;
        } else {
            while i < chars.len() && !chars[i].is_whitespace() {
                tok.push(chars[i]);
                i += 1;
            }
        }
        out.push((start + 1, tok));
    }
    out
}

fn seconds_to_tick(s: f32) -> u32 {
    (s * TICK_HZ as f32).round() as u32
}

impl Script {
    /// A simulation of `scenario` set up as this script's header says (seed, default 1, and
    /// temperament, default: drawn from the seed).
    pub fn start(&self, scenario: std::sync::Arc<Scenario>) -> Result<Sim, SimError> {
        Sim::with_temperament(
            scenario,
            self.seed.unwrap_or(1),
            self.temperament.as_deref(),
        )
    }

    pub fn parse(text: &str) -> Result<Script, ScriptError> {
        let mut script = Script::default();
        let mut prev = 0.0f32;
        for (ln, raw) in text.lines().enumerate() {
            let ln = ln + 1;
            let toks = tokens(raw);
            if toks.is_empty() {
                continue;
            }
            let err = |col: usize, message: String| ScriptError {
                line: ln,
                col,
                message,
            };
            // Header directives.
            match toks[0].1.as_str() {
                "seed" => {
                    let (c, v) = toks
                        .get(1)
                        .ok_or_else(|| err(toks[0].0, "`seed` needs a number".into()))?;
                    script.seed = Some(
                        v.parse()
                            .map_err(|_| err(*c, format!("`{v}` is not a whole number")))?,
                    );
                    continue;
                }
                "temperament" => {
                    let (c, v) = toks
                        .get(1)
                        .ok_or_else(|| err(toks[0].0, "`temperament` needs a name".into()))?;
                    if v.trim().is_empty() {
                        return Err(err(*c, "the temperament name is empty".into()));
                    }
                    script.temperament = Some(v.clone());
                    continue;
                }
                "trainee" => {
                    let (c, v) = toks
                        .get(1)
                        .ok_or_else(|| err(toks[0].0, "`trainee` needs a name".into()))?;
                    if v.trim().is_empty() {
                        return Err(err(*c, "the trainee name is empty".into()));
                    }
                    script.trainee = Some(v.clone());
                    continue;
                }
                _ => {}
            }
            let (tc, tt) = &toks[0];
            let t = parse_time(tt, prev).ok_or_else(|| {
                err(
                    *tc,
                    format!(
                        "expected a time (`12`, `1:05` or `+3`) or `seed`/`trainee`/`temperament`, found `{tt}`"
                    ),
                )
            })?;
            if t + 1e-4 < prev {
                return Err(err(
                    *tc,
                    format!("time {tt} goes back before the previous line ({prev:.1} s)"),
                ));
            }
            prev = t;
            let (cc, cmd) = toks.get(1).ok_or_else(|| {
                err(
                    tc + tt.len() + 1,
                    "expected a command after the time".into(),
                )
            })?;
            let args = &toks[2..];
            let num = |i: usize, what: &str| -> Result<f32, ScriptError> {
                let (c, v) = args
                    .get(i)
                    .ok_or_else(|| err(cc + cmd.len() + 1, format!("`{cmd}` needs {what}")))?;
                v.parse::<f32>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .ok_or_else(|| err(*c, format!("`{v}` is not a number ({what})")))
            };
            let word = |i: usize, what: &str| -> Result<(usize, String), ScriptError> {
                args.get(i)
                    .cloned()
                    .ok_or_else(|| err(cc + cmd.len() + 1, format!("`{cmd}` needs {what}")))
            };
            let command = match cmd.as_str() {
                "walk" | "run" => {
                    let x = num(0, "an x coordinate")?;
                    let z = num(1, "a z coordinate")?;
                    let mut speed = if cmd == "walk" { WALK_SPEED } else { RUN_SPEED };
                    if let Some((c, kw)) = args.get(2) {
                        if kw != "at" {
                            return Err(err(*c, format!("expected `at SPEED`, found `{kw}`")));
                        }
                        speed = num(3, "a speed in m/s")?;
                        if speed <= 0.0 || speed > 12.0 {
                            return Err(err(
                                args[3].0,
                                "speed must be between 0 and 12 m/s".into(),
                            ));
                        }
                    }
                    Command::MoveTo { x, z, speed }
                }
                "stop" => Command::Stop,
                "say" => {
                    let (_, option) = word(0, "an option id and a tone")?;
                    let (c, tone) = word(1, "a tone (calm, neutral, firm, commanding, shouting)")?;
                    let tone = Tone::parse(&tone).ok_or_else(|| {
                        err(
                            c,
                            format!(
                                "unknown tone `{tone}` (calm, neutral, firm, commanding, shouting)"
                            ),
                        )
                    })?;
                    Command::Say { option, tone }
                }
                "pause" => Command::Pause,
                "hands" => {
                    let (c, h) = word(0, "`visible` or `weapon`")?;
                    Command::Hands(match h.as_str() {
                        "visible" => Hands::Visible,
                        "weapon" => Hands::WeaponDrawn,
                        _ => {
                            return Err(err(
                                c,
                                format!("expected `visible` or `weapon`, found `{h}`"),
                            ));
                        }
                    })
                }
                "inject" => {
                    Command::Instructor(InstructorAction::Inject(word(0, "an inject id")?.1))
                }
                "nudge" => {
                    Command::Instructor(InstructorAction::Nudge(num(0, "agitation points")?))
                }
                "flag" => Command::Instructor(InstructorAction::Flag(word(0, "a note")?.1)),
                "force" => {
                    let (c, kind) = word(0, "`scene ID` or `ending ID`")?;
                    let (_, id) = word(1, "an id")?;
                    Command::Instructor(match kind.as_str() {
                        "scene" => InstructorAction::ForceScene(id),
                        "ending" => InstructorAction::ForceEnding(id),
                        _ => {
                            return Err(err(
                                c,
                                format!("expected `scene` or `ending`, found `{kind}`"),
                            ));
                        }
                    })
                }
                "end" => Command::End,
                other => {
                    return Err(err(
                        *cc,
                        format!(
                            "unknown command `{other}` (walk, run, stop, say, pause, hands, inject, nudge, force, flag, end)"
                        ),
                    ));
                }
            };
            script.lines.push(ScriptLine {
                line: ln,
                tick: seconds_to_tick(t),
                command,
            });
        }
        Ok(script)
    }
}

/// A rectangle on the ground plane (a prop's footprint).
#[derive(Debug, Clone, Copy)]
pub struct Footprint {
    pub x: f32,
    pub z: f32,
    pub half_w: f32,
    pub half_d: f32,
    /// cos/sin of the yaw.
    pub cos: f32,
    pub sin: f32,
}

impl Footprint {
    /// The footprints of the props that give cover from the subject: those marked `cover`,
    /// except one the subject sits inside (every line to them crosses it).
    pub fn of_cover_props(scenario: &Scenario) -> Vec<Footprint> {
        scenario
            .place
            .props
            .iter()
            .filter(|p| scenario.gives_cover(p))
            .map(|p| {
                let r = p.rotation.to_radians();
                Footprint {
                    x: p.x,
                    z: p.z,
                    half_w: p.size.0 / 2.0,
                    half_d: p.size.2 / 2.0,
                    cos: r.cos(),
                    sin: r.sin(),
                }
            })
            .collect()
    }

    /// Does the segment a→b pass through this rectangle? (Slab test in local space.)
    pub fn blocks(&self, a: (f32, f32), b: (f32, f32)) -> bool {
        let local = |p: (f32, f32)| {
            let (dx, dz) = (p.0 - self.x, p.1 - self.z);
            (dx * self.cos - dz * self.sin, dx * self.sin + dz * self.cos)
        };
        let (p, q) = (local(a), local(b));
        let (mut t0, mut t1) = (0.0f32, 1.0f32);
        for (s, e, h) in [(p.0, q.0, self.half_w), (p.1, q.1, self.half_d)] {
            let d = e - s;
            if d.abs() < 1e-9 {
                if s.abs() > h {
                    return false;
                }
            } else {
                let (mut ta, mut tb) = ((-h - s) / d, (h - s) / d);
                if ta > tb {
                    std::mem::swap(&mut ta, &mut tb);
                }
                t0 = t0.max(ta);
                t1 = t1.min(tb);
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }
}

/// Whether any cover prop blocks the line between the trainee and the subject.
pub fn in_cover(cover: &[Footprint], trainee: (f32, f32), subject: (f32, f32)) -> bool {
    cover.iter().any(|f| f.blocks(trainee, subject))
}

/// One tick of headless movement: head for `target` (x, z, speed) and stop on it, face the
/// subject, and work out cover. Scripts and the route finder move the trainee with this.
pub fn move_one_tick(
    state: &mut TraineeState,
    target: &mut Option<(f32, f32, f32)>,
    subject: (f32, f32),
    cover: &[Footprint],
) {
    let (mut vx, mut vz) = (0.0, 0.0);
    if let Some((tx, tz, speed)) = *target {
        let (dx, dz) = (tx - state.x, tz - state.z);
        let dist = (dx * dx + dz * dz).sqrt();
        let step = speed * DT;
        if dist <= step || dist < 1e-4 {
            state.x = tx;
            state.z = tz;
            *target = None;
            if dist > 1e-4 {
                vx = dx / DT;
                vz = dz / DT;
            }
        } else {
            vx = dx / dist * speed;
            vz = dz / dist * speed;
            state.x += vx * DT;
            state.z += vz * DT;
        }
    }
    state.vx = vx;
    state.vz = vz;
    // Face the subject (yaw 0 = -z).
    let (sx, sz) = (subject.0 - state.x, subject.1 - state.z);
    if sx.abs() + sz.abs() > 1e-4 {
        state.facing = (-sx).atan2(-sz).to_degrees();
    }
    state.in_cover = in_cover(cover, (state.x, state.z), subject);
}

/// Turns a script into one [`TickInput`] per tick, moving the trainee kinematically
/// (no physics headless; props marked as cover still give cover by line of sight).
pub struct ScriptPlayer<'s> {
    script: &'s Script,
    next: usize,
    state: TraineeState,
    target: Option<(f32, f32, f32)>,
    subject: (f32, f32),
    cover: Vec<Footprint>,
    end_tick: Option<u32>,
}

impl<'s> ScriptPlayer<'s> {
    pub fn new(script: &'s Script, scenario: &Scenario) -> Self {
        let Spawn { x, z, facing } = scenario.place.trainee_spawn;
        let subject = (scenario.subject.spawn.x, scenario.subject.spawn.z);
        let cover = Footprint::of_cover_props(scenario);
        let state = TraineeState {
            x,
            z,
            facing,
            in_cover: in_cover(&cover, (x, z), subject),
            ..TraineeState::default()
        };
        ScriptPlayer {
            script,
            next: 0,
            state,
            target: None,
            subject,
            cover,
            end_tick: None,
        }
    }

    /// The script line that produced the action on `tick`, for error messages.
    pub fn line_at(&self, tick: u32) -> Option<usize> {
        self.script
            .lines
            .iter()
            .rev()
            .find(|l| {
                l.tick <= tick
                    && !matches!(
                        l.command,
                        Command::MoveTo { .. } | Command::Stop | Command::Hands(_)
                    )
            })
            .map(|l| l.line)
    }

    pub fn ended(&self, tick: u32) -> bool {
        self.end_tick.is_some_and(|e| tick >= e)
    }

    /// The input for `tick`. Several actions on one tick are spread over the following
    /// ticks (one utterance per tick), so nothing written in the script is dropped.
    pub fn input(&mut self, tick: u32) -> (TickInput, Option<usize>) {
        let mut action = None;
        let mut line = None;
        while let Some(l) = self.script.lines.get(self.next) {
            if l.tick > tick {
                break;
            }
            let is_action = matches!(
                l.command,
                Command::Say { .. } | Command::Pause | Command::Instructor(_)
            );
            if is_action && action.is_some() {
                break; // leave it for the next tick
            }
            self.next += 1;
            match &l.command {
                Command::MoveTo { x, z, speed } => self.target = Some((*x, *z, *speed)),
                Command::Stop => self.target = None,
                Command::Hands(h) => self.state.hands = *h,
                Command::End => self.end_tick = Some(tick),
                Command::Say { option, tone } => {
                    action = Some(Action::Say {
                        option: option.clone(),
                        tone: *tone,
                    });
                    line = Some(l.line);
                }
                Command::Pause => {
                    action = Some(Action::Pause);
                    line = Some(l.line);
                }
                Command::Instructor(ia) => {
                    action = Some(Action::Instructor(ia.clone()));
                    line = Some(l.line);
                }
            }
        }
        move_one_tick(&mut self.state, &mut self.target, self.subject, &self.cover);
        (
            TickInput {
                trainee: self.state,
                action,
            },
            line,
        )
    }
}

/// One entry of an input log: the tick, the trainee state if it changed since the
/// previous entry, and the action taken on that tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub tick: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trainee: Option<TraineeState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// How a `Say` action's tone was decided, when the trainee spoke it into the microphone
    /// (the measured features, never the audio). None: the menu tone (and every log from
    /// before voice existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<Spoken>,
}

/// Exactly what a run was fed, delta-encoded. Replaying it reproduces the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct InputLog {
    pub entries: Vec<LogEntry>,
    /// Total ticks the run lasted.
    pub ticks: u32,
}

impl InputLog {
    /// Appends one tick's input (only what changed).
    pub fn push(&mut self, tick: u32, input: &TickInput, last: &mut Option<TraineeState>) {
        self.push_spoken(tick, input, last, None);
    }

    /// [`Self::push`], keeping how the tone of the tick's `Say` was measured from the voice
    /// (ignored on a tick with no action).
    pub fn push_spoken(
        &mut self,
        tick: u32,
        input: &TickInput,
        last: &mut Option<TraineeState>,
        voice: Option<Spoken>,
    ) {
        let changed = last.as_ref() != Some(&input.trainee);
        if changed || input.action.is_some() {
            self.entries.push(LogEntry {
                tick,
                trainee: changed.then_some(input.trainee),
                action: input.action.clone(),
                voice: voice.filter(|_| input.action.is_some()),
            });
        }
        if changed {
            *last = Some(input.trainee);
        }
        self.ticks = tick + 1;
    }

    /// Re-simulate this log on `sim` from its start. Returns the first error if an
    /// action no longer applies (for instance the scenario file changed).
    pub fn replay(&self, sim: &mut Sim) -> Result<(), (u32, SimError)> {
        let mut state = TraineeState::default();
        let mut i = 0;
        for tick in 0..self.ticks {
            if sim.is_finished() {
                break;
            }
            let mut action = None;
            if let Some(e) = self.entries.get(i)
                && e.tick == tick
            {
                if let Some(t) = e.trainee {
                    state = t;
                }
                action = e.action.clone();
                i += 1;
            }
            let input = TickInput {
                trainee: state,
                action,
            };
            sim.step(&input).map_err(|e| (tick, e))?;
        }
        Ok(())
    }
}

/// Error from a scripted run: where in the script and what went wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct RunError {
    pub script_line: Option<usize>,
    pub t: f32,
    pub error: SimError,
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", crate::sim::clock(self.t), self.error)
    }
}

/// Drive `sim` with `script` until an ending, the time limit or `end`. Returns the log.
pub fn run_script(sim: &mut Sim, script: &Script) -> Result<InputLog, RunError> {
    run_script_with(sim, script, |_, _| {})
}

/// Like [`run_script`], calling `on_tick(tick, input)` before each tick is simulated
/// (used to journal a run as it goes).
pub fn run_script_with(
    sim: &mut Sim,
    script: &Script,
    mut on_tick: impl FnMut(u32, &TickInput),
) -> Result<InputLog, RunError> {
    let scenario = std::sync::Arc::clone(sim.scenario());
    let mut player = ScriptPlayer::new(script, &scenario);
    let mut log = InputLog::default();
    let mut last = None;
    while !sim.is_finished() && !sim.out_of_time() {
        let tick = sim.tick();
        if player.ended(tick) {
            break;
        }
        let (input, line) = player.input(tick);
        log.push(tick, &input, &mut last);
        on_tick(tick, &input);
        if let Err(error) = sim.step(&input) {
            return Err(RunError {
                script_line: line.or_else(|| player.line_at(tick)),
                t: tick as f32 * DT,
                error,
            });
        }
    }
    Ok(log)
}
