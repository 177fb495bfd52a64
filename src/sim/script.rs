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

/// A token and its 1-based column.
type Token = (usize, String);

/// Split a line into whitespace-separated tokens with their 1-based column; a
/// double-quoted token may contain spaces.
fn tokens(line: &str) -> Vec<Token> {
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

/// The commands a timed line may give, in the order the "unknown command" error lists them.
const COMMANDS: [(&str, fn(&Args) -> Result<Command, ScriptError>); 11] = [
    ("walk", |a| move_to(a, WALK_SPEED)),
    ("run", |a| move_to(a, RUN_SPEED)),
    ("stop", |_| Ok(Command::Stop)),
    ("say", say),
    ("pause", |_| Ok(Command::Pause)),
    ("hands", hands),
    ("inject", |a| {
        let id = a.word(0, "an inject id")?.1;
        Ok(Command::Instructor(InstructorAction::Inject(id.into())))
    }),
    ("nudge", |a| {
        if a.word(0, "agitation points")
            .is_ok_and(|(_, w)| w == "trust")
        {
            let points = a.number(1, "trust points")?;
            return Ok(Command::Instructor(InstructorAction::NudgeTrust(points)));
        }
        let points = a.number(0, "agitation points")?;
        Ok(Command::Instructor(InstructorAction::Nudge(points)))
    }),
    ("force", force),
    ("flag", |a| {
        let note = a.word(0, "a note")?.1;
        Ok(Command::Instructor(InstructorAction::Flag(note.into())))
    }),
    ("end", |_| Ok(Command::End)),
];

const TONES: &str = "calm, neutral, firm, commanding, shouting";

/// A command's arguments, and where its line and name are, so that every error points at
/// the token it is about (or just after the command when an argument is missing).
struct Args<'a> {
    line: usize,
    name: &'a str,
    /// Column just after the command's name.
    after: usize,
    toks: &'a [Token],
}

impl Args<'_> {
    fn err(&self, col: usize, message: String) -> ScriptError {
        ScriptError {
            line: self.line,
            col,
            message,
        }
    }

    /// Argument `i` as a word, with its column.
    fn word(&self, i: usize, what: &str) -> Result<(usize, &str), ScriptError> {
        let missing = || self.err(self.after, format!("`{}` needs {what}", self.name));
        let (col, word) = self.toks.get(i).ok_or_else(missing)?;
        Ok((*col, word))
    }

    /// Argument `i` as a finite number.
    fn number(&self, i: usize, what: &str) -> Result<f32, ScriptError> {
        let (col, v) = self.word(i, what)?;
        v.parse::<f32>()
            .ok()
            .filter(|f| f.is_finite())
            .ok_or_else(|| self.err(col, format!("`{v}` is not a number ({what})")))
    }
}

/// `walk X Z [at SPEED]` and `run X Z [at SPEED]`.
fn move_to(a: &Args, default_speed: f32) -> Result<Command, ScriptError> {
    let x = a.number(0, "an x coordinate")?;
    let z = a.number(1, "a z coordinate")?;
    let Some((col, kw)) = a.toks.get(2) else {
        return Ok(Command::MoveTo {
            x,
            z,
            speed: default_speed,
        });
    };
    if kw != "at" {
        return Err(a.err(*col, format!("expected `at SPEED`, found `{kw}`")));
    }
    let speed = a.number(3, "a speed in m/s")?;
    if speed <= 0.0 || speed > 12.0 {
        let col = a.toks[3].0;
        return Err(a.err(col, "speed must be between 0 and 12 m/s".into()));
    }
    Ok(Command::MoveTo { x, z, speed })
}

/// `say OPTION TONE`.
fn say(a: &Args) -> Result<Command, ScriptError> {
    let (_, option) = a.word(0, "an option id and a tone")?;
    let (col, tone) = a.word(1, &format!("a tone ({TONES})"))?;
    let Some(tone) = Tone::parse(tone) else {
        return Err(a.err(col, format!("unknown tone `{tone}` ({TONES})")));
    };
    Ok(Command::Say {
        option: option.into(),
        tone,
    })
}

/// `hands visible` or `hands weapon`.
fn hands(a: &Args) -> Result<Command, ScriptError> {
    let (col, h) = a.word(0, "`visible` or `weapon`")?;
    match h {
        "visible" => Ok(Command::Hands(Hands::Visible)),
        "weapon" => Ok(Command::Hands(Hands::WeaponDrawn)),
        _ => Err(a.err(col, format!("expected `visible` or `weapon`, found `{h}`"))),
    }
}

/// `force scene ID` or `force ending ID`.
fn force(a: &Args) -> Result<Command, ScriptError> {
    let (col, kind) = a.word(0, "`scene ID` or `ending ID`")?;
    let id = a.word(1, "an id")?.1.to_string();
    let action = match kind {
        "scene" => InstructorAction::ForceScene(id),
        "ending" => InstructorAction::ForceEnding(id),
        _ => {
            let message = format!("expected `scene` or `ending`, found `{kind}`");
            return Err(a.err(col, message));
        }
    };
    Ok(Command::Instructor(action))
}

/// A header line (`seed`, `trainee`, `temperament`) applied to `script`; `false` when the
/// line is not a header.
fn header(script: &mut Script, line: usize, toks: &[Token]) -> Result<bool, ScriptError> {
    let (col, key) = &toks[0];
    let err = |col: usize, message: String| ScriptError { line, col, message };
    let value = |what: &str| {
        toks.get(1)
            .ok_or_else(|| err(*col, format!("`{key}` needs {what}")))
    };
    match key.as_str() {
        "seed" => {
            let (c, v) = value("a number")?;
            let seed = v.parse();
            let seed = seed.map_err(|_| err(*c, format!("`{v}` is not a whole number")))?;
            script.seed = Some(seed);
        }
        "temperament" | "trainee" => {
            let (c, v) = value("a name")?;
            if v.trim().is_empty() {
                return Err(err(*c, format!("the {key} name is empty")));
            }
            let slot = if key == "trainee" {
                &mut script.trainee
            } else {
                &mut script.temperament
            };
            *slot = Some(v.clone());
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// The time a timed line starts with, in seconds; `prev` is the previous line's time.
fn line_time(line: usize, (col, tok): &Token, prev: f32) -> Result<f32, ScriptError> {
    let err = |message: String| ScriptError {
        line,
        col: *col,
        message,
    };
    let t = parse_time(tok, prev).ok_or_else(|| {
        err(format!(
            "expected a time (`12`, `1:05` or `+3`) or `seed`/`trainee`/`temperament`, found `{tok}`"
        ))
    })?;
    if t + 1e-4 < prev {
        return Err(err(format!(
            "time {tok} goes back before the previous line ({prev:.1} s)"
        )));
    }
    Ok(t)
}

/// The command after a line's time (`toks[0]`).
fn line_command(line: usize, toks: &[Token]) -> Result<Command, ScriptError> {
    let (tc, tt) = &toks[0];
    let Some((cc, name)) = toks.get(1) else {
        return Err(ScriptError {
            line,
            col: tc + tt.len() + 1,
            message: "expected a command after the time".into(),
        });
    };
    let args = Args {
        line,
        name,
        after: cc + name.len() + 1,
        toks: &toks[2..],
    };
    match COMMANDS.iter().find(|(n, _)| n == name) {
        Some((_, parse)) => parse(&args),
        None => {
            let known: Vec<&str> = COMMANDS.iter().map(|(n, _)| *n).collect();
            let message = format!("unknown command `{name}` ({})", known.join(", "));
            Err(args.err(*cc, message))
        }
    }
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

    /// Read a script: header lines, then one timed command a line. An error names the
    /// line and column of the token it is about.
    pub fn parse(text: &str) -> Result<Script, ScriptError> {
        let mut script = Script::default();
        let mut prev = 0.0f32;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let toks = tokens(raw);
            if toks.is_empty() || header(&mut script, line, &toks)? {
                continue;
            }
            prev = line_time(line, &toks[0], prev)?;
            script.lines.push(ScriptLine {
                line,
                tick: seconds_to_tick(prev),
                command: line_command(line, &toks)?,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        Script::parse(text).expect_err(text).to_string()
    }

    #[test]
    fn errors_point_at_the_token_they_are_about() {
        let cases = [
            ("seed", "1:1: `seed` needs a number"),
            ("seed 7\nseed -1", "2:6: `-1` is not a whole number"),
            ("trainee \"  \"", "1:9: the trainee name is empty"),
            ("temperament", "1:1: `temperament` needs a name"),
            ("+3", "1:4: expected a command after the time"),
            (
                "10 walk 0 1\n5 stop",
                "2:1: time 5 goes back before the previous line (10.0 s)",
            ),
            ("0 walk 1", "1:8: `walk` needs a z coordinate"),
            (
                "0 walk 1 inf",
                "1:10: `inf` is not a number (a z coordinate)",
            ),
            ("0 walk 1 2 fast", "1:12: expected `at SPEED`, found `fast`"),
            (
                "0 run 1 2 at 13",
                "1:14: speed must be between 0 and 12 m/s",
            ),
            (
                "  0 say \"hello there\" LOUD",
                "1:23: unknown tone `LOUD` (calm, neutral, firm, commanding, shouting)",
            ),
            (
                "0 hands up",
                "1:9: expected `visible` or `weapon`, found `up`",
            ),
            ("0 force scene", "1:9: `force` needs an id"),
            (
                "0 force level x",
                "1:9: expected `scene` or `ending`, found `level`",
            ),
            (
                "0 walk 0 5 # ok\n\n# c\n+2 sing",
                "4:4: unknown command `sing` (walk, run, stop, say, pause, hands, inject, nudge, force, flag, end)",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(error(text), want, "script {text:?}");
        }
    }

    #[test]
    fn every_command_and_header_reads() {
        let text = "seed 7\ntrainee \"Sam K\"\ntemperament volatile\n\
                    0:00 walk 0 12\n+6 say introduce calm\n0:20 run 0 4 at 5\n25 pause\n\
                    +2 hands weapon\n+1 stop\n40 inject radio_call\n41 nudge -10\n\
                    42 force ending gone\n43 flag \"good cover\"\n1:00 end\n";
        let s = Script::parse(text).expect("parses");
        assert_eq!(s.seed, Some(7));
        assert_eq!(s.trainee.as_deref(), Some("Sam K"));
        assert_eq!(s.temperament.as_deref(), Some("volatile"));
        let got: Vec<(usize, u32, Command)> = s
            .lines
            .into_iter()
            .map(|l| (l.line, l.tick, l.command))
            .collect();
        let instructor = Command::Instructor;
        let want = vec![
            (
                4,
                0,
                Command::MoveTo {
                    x: 0.0,
                    z: 12.0,
                    speed: WALK_SPEED,
                },
            ),
            (
                5,
                60,
                Command::Say {
                    option: "introduce".into(),
                    tone: Tone::Calm,
                },
            ),
            (
                6,
                200,
                Command::MoveTo {
                    x: 0.0,
                    z: 4.0,
                    speed: 5.0,
                },
            ),
            (7, 250, Command::Pause),
            (8, 270, Command::Hands(Hands::WeaponDrawn)),
            (9, 280, Command::Stop),
            (
                10,
                400,
                instructor(InstructorAction::Inject("radio_call".into())),
            ),
            (11, 410, instructor(InstructorAction::Nudge(-10.0))),
            (
                12,
                420,
                instructor(InstructorAction::ForceEnding("gone".into())),
            ),
            (
                13,
                430,
                instructor(InstructorAction::Flag("good cover".into())),
            ),
            (14, 600, Command::End),
        ];
        assert_eq!(got, want);
    }
}
