//! Engine benchmarks (`cargo bench --no-default-features --bench engine`).
//!
//! 1. parse + validate a generated scenario of 1,000 scenes        (target < 20 ms)
//! 2. simulate one 10-minute playthrough at the core's tick rate    (target < 0.5 ms)
//! 3. a batch of 10,000 random playthroughs of a bundled scenario   (target < 5 s on 2 cores)
//! 4. the route finder on every bundled scenario                    (target < 2 s each)
//!    and on the generated 1,000-scene scenario                     (target < 30 s)
//!
//! A small harness of our own (no criterion: its dependency tree would change feature
//! sets shared with bevy and force a rebuild of the game). Each case is warmed up, then
//! timed over many iterations; we report min / median / mean.

use deescalate::author::batch;
use deescalate::check;
use deescalate::explore::routes;
use deescalate::format::scenario::Scenario;
use deescalate::format::vocab::Tone;
use deescalate::sim::{Action, Sim, TICK_HZ, TickInput, TraineeState};
use std::fmt::Write;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A syntactically and semantically valid scenario with `n` scenes in a ring: each scene
/// has four options (two stay, one onwards, one to an ending) and two triggers.
fn generated_scenario(n: usize) -> String {
    let mut s = String::with_capacity(n * 1200);
    s.push_str(
        r#"(
    id: "generated",
    title: "Generated benchmark scenario",
    briefing: "A generated scenario used to measure parsing and validation speed.",
    objectives: ["Measure the parser"],
    expected_minutes: 8.0,
    time_limit_minutes: 10.0,
    timeout_ending: "timeout",
    place: (
        environment: Street,
        trainee_spawn: (x: 0.0, z: 20.0),
        props: [(kind: Car, x: 2.0, z: 8.0, size: (1.8, 1.4, 4.2), cover: true)],
    ),
    subject: (
        name: "Sam",
        spawn: (x: 0.0, z: 0.0),
        baseline_agitation: 40.0,
        baseline_trust: 20.0,
        personal_space: 3.0,
        reactionary_gap: 5.0,
        indicators: [Panic],
    ),
    start_scene: "s0",
    scenes: [
"#,
    );
    for i in 0..n {
        let next = (i + 1) % n;
        let _ = write!(
            s,
            r#"        (
            id: "s{i}",
            lines: ["Line one of scene {i}.", "Another way to say scene {i}."],
            options: [
                (id: "listen", text: "I'm listening.", tags: [ActiveListening], agitation: -2.0, trust: 2.0),
                (id: "ask", text: "What happened tonight?", tags: [OpenQuestion], agitation: -1.0, trust: 1.0),
                (id: "on", text: "Let's keep talking.", tags: [Rapport], next: Scene("s{next}")),
                (id: "order", text: "Sit down now.", tags: [Command], agitation: 8.0, next: Ending("force")),
            ],
            triggers: [
                (when: AgitationAbove(95.0), goto: Ending("hurt")),
                (when: SecondsInScene(90.0), goto: Scene("s{next}")),
            ],
        ),
"#
        );
    }
    s.push_str(
        r#"    ],
    endings: [
        (id: "calm", outcome: ResolvedVoluntarily, title: "Calm", summary: "They calmed down."),
        (id: "force", outcome: ForceUsed, title: "Force", summary: "Force was used."),
        (id: "hurt", outcome: SomeoneInjured, title: "Hurt", summary: "Someone was hurt."),
        (id: "timeout", outcome: Unresolved, title: "Time ran out", summary: "Nothing was settled."),
    ],
    triggers: [(when: TrustAbove(90.0), goto: Ending("calm"))],
)
"#,
    );
    s
}

struct Stats {
    min: Duration,
    median: Duration,
    mean: Duration,
    iters: usize,
}

fn measure(iters: usize, mut f: impl FnMut()) -> Stats {
    for _ in 0..iters.div_ceil(10).max(1) {
        f();
    }
    let mut times = Vec::with_capacity(iters);
    for _ in 0..iters {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    let total: Duration = times.iter().sum();
    Stats {
        min: times[0],
        median: times[times.len() / 2],
        mean: total / iters as u32,
        iters,
    }
}

fn report(name: &str, target: Duration, s: &Stats) {
    let verdict = if s.median <= target {
        "ok"
    } else {
        "SLOWER THAN TARGET"
    };
    println!(
        "{name:<52} median {:>10.3?}  min {:>10.3?}  mean {:>10.3?}  ({} iters; target < {:?}: {verdict})",
        s.median, s.min, s.mean, s.iters, target
    );
}

/// 4. The route finder: each bundled scenario, then the generated one.
fn bench_routes(generated: &Arc<Scenario>, quick: bool) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(root.join("scenarios"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "ron"));
    files.sort();
    let opts = routes::Options::default();
    for f in files {
        let Ok((sc, _)) = check::load_scenario(&f) else {
            continue;
        };
        let sc = Arc::new(sc);
        let mut reached = 0;
        let s = measure(if quick { 1 } else { 3 }, || {
            let r = routes::find(&sc, &opts).expect("routes");
            reached = r.routes.len();
            black_box(r);
        });
        report(
            &format!(
                "routes for `{}` ({reached}/{} endings)",
                sc.id,
                sc.endings.len()
            ),
            Duration::from_secs(2),
            &s,
        );
    }
    let mut reached = 0;
    let s = measure(1, || {
        let r = routes::find(generated, &opts).expect("routes");
        reached = r.routes.len();
        black_box(r);
    });
    report(
        &format!("routes for the generated 1,000-scene scenario ({reached}/4 endings)"),
        Duration::from_secs(30),
        &s,
    );
}

/// Ten minutes of input: pacing between 5 and 10 m, speaking every 20 s, one pause a minute.
fn ten_minute_inputs(sc: &Scenario) -> Vec<TickInput> {
    let ticks = 10 * 60 * TICK_HZ as usize;
    let mut out = Vec::with_capacity(ticks);
    let (sx, sz) = (sc.subject.spawn.x, sc.subject.spawn.z);
    for t in 0..ticks {
        let phase = (t % 400) as f32 / 400.0;
        let d = 7.5 + 2.5 * (phase * std::f32::consts::TAU).sin();
        let v = 2.5 * std::f32::consts::TAU / 40.0 * (phase * std::f32::consts::TAU).cos();
        let action = if t % 600 == 300 {
            Some(Action::Pause)
        } else if t % 200 == 100 {
            Some(Action::Say {
                option: if t % 400 == 100 { "listen" } else { "ask" }.to_string(),
                tone: Tone::Calm,
            })
        } else {
            None
        };
        out.push(TickInput {
            trainee: TraineeState {
                x: sx,
                z: sz + d,
                vz: v,
                ..TraineeState::default()
            },
            action,
        });
    }
    out
}

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments otherwise.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let quick = args.iter().any(|a| a == "--quick");
    // Optional filter: `parse`, `sim` or `batch` runs only that case.
    let only: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(|a| a.as_str())
        .collect();
    let want = |name: &str| only.is_empty() || only.contains(&name);
    println!("deescalate engine benchmarks (tick rate {TICK_HZ} Hz)\n");

    // 1. Parse + validate 1,000 scenes.
    let text = generated_scenario(1000);
    let report_once = check::check_source("generated.ron", &text);
    assert!(
        !report_once.has_errors(),
        "generated scenario must validate:\n{}",
        report_once.render(false)
    );
    if want("ron") {
        // For reference: the RON deserialisation alone, without any validation.
        let s = measure(if quick { 5 } else { 30 }, || {
            black_box(
                check::ron_options()
                    .from_str::<Scenario>(black_box(&text))
                    .ok(),
            );
        });
        report(
            "  of which: ron deserialisation alone",
            Duration::from_millis(20),
            &s,
        );
    }
    if want("parse") {
        let s = measure(if quick { 5 } else { 30 }, || {
            black_box(check::check_source("generated.ron", black_box(&text)));
        });
        report(
            &format!("parse + validate 1,000 scenes ({} KiB)", text.len() / 1024),
            Duration::from_millis(20),
            &s,
        );
    }

    // 2. One 10-minute playthrough.
    let sc = Arc::new(report_once.scenario.clone().expect("parsed"));
    let inputs = ten_minute_inputs(&sc);
    let mut ticks_run = 0;
    if want("sim") {
        let s = measure(if quick { 20 } else { 500 }, || {
            let mut sim = Sim::new(Arc::clone(&sc), 7).expect("sim");
            for i in &inputs {
                if sim.step(i).is_err() {
                    break;
                }
            }
            ticks_run = sim.tick();
            black_box(sim.result());
        });
        report(
            &format!("simulate a 10-minute playthrough ({ticks_run} ticks)"),
            Duration::from_micros(500),
            &s,
        );
    }
    if want("routes") {
        bench_routes(&sc, quick);
    }
    if !want("batch") {
        return;
    }

    // 3. 10,000 random playthroughs on every core.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bundled = root.join("scenarios/knife_sidewalk.ron");
    let sc = match check::load_scenario(&bundled) {
        Ok((s, _)) => Arc::new(s),
        Err(_) => Arc::clone(&sc),
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runs = if quick { 1000 } else { 10_000 };
    let mut mean_len = 0.0;
    let s = measure(if quick { 1 } else { 3 }, || {
        let a = batch::analyse(&sc, runs, 1, threads);
        mean_len = a.mean_duration;
        black_box(a);
    });
    report(
        &format!(
            "{runs} random playthroughs of `{}` on {threads} threads (mean {mean_len:.0} s simulated)",
            sc.id
        ),
        Duration::from_secs(5),
        &s,
    );
}
