//! The search: breadth-first over the story's states (scene, flags, agitation and trust
//! bands, distance band, weapon, cover, time), each step one thing a trainee can do — say
//! an offered option in a tone, move to a distance, pause, wait, draw or holster, and (only
//! when allowed) an instructor inject. Every step is simulated, so a path is a runnable script.

use crate::explore::policy::Policy;
use crate::format::scenario::Scenario;
use crate::format::vocab::Tone;
use crate::sim::script::{Footprint, in_cover, move_one_tick};
use crate::sim::{Action, EventKind, InstructorAction, Sim, TickInput, TraineeState};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashSet, VecDeque};
use std::sync::Arc;

/// One thing the trainee (or instructor) does, then lets the scene play for a while.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Step {
    Say(String, Tone),
    Pause,
    Wait(u32),
    /// A tactical pause every 10 s until the run ends (keeps silence from ending it).
    Stall,
    Move {
        x: f32,
        z: f32,
        speed: f32,
    },
    Hands(bool),
    Inject(String),
}

/// A state reached and how: the simulation, the trainee's body, the script so far.
#[derive(Clone)]
pub(super) struct Node {
    pub sim: Sim,
    pub st: TraineeState,
    pub target: Option<(f32, f32, f32)>,
    /// (tick, script command) in order.
    pub lines: Vec<(u32, String)>,
}

/// What the search saw, for explaining what it could not reach.
#[derive(Debug, Default)]
pub(super) struct Seen {
    /// Per scene index: (min, max) agitation, trust and distance seen while in it.
    pub ranges: BTreeMap<usize, [(f32, f32); 3]>,
    pub flags: HashSet<String>,
    /// (scene index, option index) offered at some state.
    pub offered: HashSet<(usize, usize)>,
    /// (scene index or None for scenario-wide, trigger index) whose condition held.
    pub ready: HashSet<(Option<usize>, usize)>,
    /// The same, for triggers that actually fired.
    pub fired: HashSet<(Option<usize>, usize)>,
    pub nodes: usize,
}

/// Where the trainee can usefully go: the middle of the ideal band, behind each piece of
/// cover, inside personal space, and back where they started.
pub(super) fn places(sc: &Scenario, sim: &Sim) -> Vec<(f32, f32)> {
    let subj = sim.subject();
    let (sx, sz) = (subj.spawn.x, subj.spawn.z);
    let sp = sc.place.trainee_spawn;
    let (dx, dz) = (sp.x - sx, sp.z - sz);
    let len = (dx * dx + dz * dz).sqrt().max(1e-3);
    let at = |d: f32| (sx + dx / len * d, sz + dz / len * d);
    let (lo, hi) = sc.scoring.ideal_distance;
    let mut band = 0.5 * (lo + hi);
    if subj.holding.is_weapon() {
        band = band.max(subj.reactionary_gap + 1.0);
    }
    // Ideal band, inside personal space, arm's length, and back where they started.
    let mut out = vec![
        at(band),
        at(subj.personal_space * 0.6),
        at(0.8),
        (sp.x, sp.z),
    ];
    let cover = Footprint::of_cover_props(sc);
    for p in sc.place.props.iter().filter(|p| p.cover) {
        let (px, pz) = (p.x - sx, p.z - sz);
        let d = (px * px + pz * pz).sqrt().max(1e-3);
        let reach = 0.5 * (p.size.0.max(p.size.2)) + 0.8;
        let spot = (p.x + px / d * reach, p.z + pz / d * reach);
        if in_cover(&cover, spot, (sx, sz)) {
            out.push(spot);
        }
    }
    out
}

/// The steps worth trying from `node`.
pub(super) fn steps(
    sc: &Scenario,
    node: &Node,
    places: &[(f32, f32)],
    injects: bool,
    to_the_end: bool,
) -> Vec<Step> {
    let mut out = Vec::new();
    // Standing still (or only pausing) to the end shows what time alone leads to: the
    // timeout ending, or whatever silence triggers first. Costly, so once per scene.
    if to_the_end {
        out.extend([Step::Wait(u32::MAX), Step::Stall]);
    }
    for offer in node.sim.offers() {
        let c = offer.choice;
        let fits = c.fitting_tones();
        let first = if fits.contains(&Tone::Calm) {
            Tone::Calm
        } else {
            fits.first().copied().unwrap_or(Tone::Calm)
        };
        let mut tones = vec![first];
        for t in c
            .tone_branches
            .iter()
            .flat_map(|b| b.tones.iter())
            .chain([&Tone::Shouting])
        {
            if !tones.contains(t) {
                tones.push(*t);
            }
        }
        out.extend(tones.into_iter().map(|t| Step::Say(c.id.clone(), t)));
    }
    out.push(Step::Pause);
    out.push(Step::Wait(100));
    out.push(Step::Wait(300));

    for &(x, z) in places {
        out.push(Step::Move { x, z, speed: 1.0 });
    }
    if let Some(&(x, z)) = places.get(1) {
        out.push(Step::Move { x, z, speed: 4.0 });
    }
    out.push(Step::Hands(!node.sim.weapon_drawn()));
    if injects {
        out.extend(sc.injects.iter().map(|i| Step::Inject(i.id.clone())));
    }
    out
}

/// The script command for a step.
fn command(step: &Step) -> String {
    match step {
        Step::Say(o, t) => format!("say {o} {t}"),
        Step::Pause => "pause".into(),
        Step::Wait(_) | Step::Stall => String::new(),
        Step::Move { x, z, speed } if *speed > 1.5 => format!("run {x:.2} {z:.2}"),
        Step::Move { x, z, speed } => format!("walk {x:.2} {z:.2} at {speed}"),
        Step::Hands(true) => "hands weapon".into(),
        Step::Hands(false) => "hands visible".into(),
        Step::Inject(id) => format!("inject {id}"),
    }
}

/// Takes `step` from `node`; `None` if the simulation refuses it.
pub(super) fn take(node: &Node, step: &Step, cover: &[Footprint], seen: &mut Seen) -> Option<Node> {
    let mut n = node.clone();
    let tick = n.sim.tick();
    let cmd = command(step);
    if !cmd.is_empty() {
        n.lines.push((tick, cmd));
    }
    let (action, ticks) = match step {
        Step::Say(o, t) => (
            Some(Action::Say {
                option: o.clone(),
                tone: *t,
            }),
            30,
        ),
        Step::Pause => (Some(Action::Pause), 30),
        Step::Wait(k) => (None, *k),
        Step::Stall => return Some(stall(n, cover, seen)),
        Step::Move { x, z, speed } => {
            n.target = Some((*x, *z, *speed));
            (None, 250)
        }
        Step::Hands(w) => {
            n.st.hands = if *w {
                crate::sim::Hands::WeaponDrawn
            } else {
                crate::sim::Hands::Visible
            };
            (None, 30)
        }
        Step::Inject(id) => (
            Some(Action::Instructor(InstructorAction::Inject(id.clone()))),
            20,
        ),
    };
    let subject = (n.sim.subject().spawn.x, n.sim.subject().spawn.z);
    let first_event = n.sim.events().len();
    let mut action = action;
    for k in 0..ticks {
        if n.sim.is_finished() || n.sim.out_of_time() {
            break;
        }
        move_one_tick(&mut n.st, &mut n.target, subject, cover);
        let input = TickInput {
            trainee: n.st,
            action: action.take(),
        };
        n.sim.step(&input).ok()?;
        // A move lasts until arrival (and one more second).
        if matches!(step, Step::Move { .. }) && n.target.is_none() && k > 10 {
            break;
        }
    }
    note_fired(&n.sim, first_event, seen);
    Some(n)
}

/// Pauses every 10 s until the run ends.
fn stall(mut n: Node, cover: &[Footprint], seen: &mut Seen) -> Node {
    while !n.sim.is_finished() && !n.sim.out_of_time() {
        let Some(next) = take(&n, &Step::Pause, cover, seen) else {
            break;
        };
        n = next;
        for _ in 0..70 {
            if n.sim.is_finished() || n.sim.out_of_time() {
                break;
            }
            let subject = (n.sim.subject().spawn.x, n.sim.subject().spawn.z);
            move_one_tick(&mut n.st, &mut n.target, subject, cover);
            if n.sim
                .step(&TickInput {
                    trainee: n.st,
                    action: None,
                })
                .is_err()
            {
                return n;
            }
        }
    }
    n
}

/// Records which triggers fired during the last step (matched by scene and condition text).
fn note_fired(sim: &Sim, from: usize, seen: &mut Seen) {
    let sc = sim.scenario();
    for e in &sim.events()[from..] {
        let EventKind::TriggerFired {
            scene, condition, ..
        } = &e.kind
        else {
            continue;
        };
        let (list, at) = match scene {
            Some(id) => match sc.scene_index(id) {
                Some(i) => (&sc.scenes[i].triggers, Some(i)),
                None => continue,
            },
            None => (&sc.triggers, None),
        };
        if let Some(k) = list
            .iter()
            .position(|t| &crate::sim::describe_when(&t.when) == condition)
        {
            seen.fired.insert((at, k));
        }
    }
}

/// The coarse state a node is in, for not exploring the same situation twice.
type Key = (usize, Vec<String>, i32, i32, u8, bool, bool, u32, u32);

fn key(n: &Node, sc: &Scenario) -> Key {
    let sim = &n.sim;
    let mut flags = sim.flags().to_vec();
    flags.sort();
    let d = sim.distance();
    let subj = sim.subject();
    let (lo, hi) = sc.scoring.ideal_distance;
    let band = match d {
        d if !d.is_finite() => 0,
        d if d < subj.reactionary_gap => 1,
        d if d < subj.personal_space => 2,
        d if d < lo => 3,
        d if d <= hi => 4,
        _ => 5,
    };
    (
        sim.scene_index(),
        flags,
        (sim.agitation() / 10.0) as i32,
        (sim.trust() / 10.0) as i32,
        band,
        sim.weapon_drawn(),
        sim.in_cover(),
        sim.tick() / 600,
        // Time in the scene matters to `SecondsInScene` and silence triggers.
        ((sim.seconds_in_scene() / 15.0) as u32).min(4),
    )
}

/// Notes what a whole run shows, from its events: the scenes it entered, the options it
/// said (so they were offered) and the triggers that fired. Used for policy rollouts, whose
/// intermediate states are not observed one by one.
pub(super) fn observe_run(sim: &Sim, seen: &mut Seen) {
    let sc = sim.scenario();
    for e in sim.events() {
        match &e.kind {
            EventKind::SceneEntered { scene } => {
                if let Some(i) = sc.scene_index(scene) {
                    seen.ranges.entry(i).or_insert([(f32::MAX, f32::MIN); 3]);
                }
            }
            EventKind::Utterance { scene, option, .. } => {
                if let Some(i) = sc.scene_index(scene)
                    && let Some(j) = sc.scenes[i].options.iter().position(|o| &o.id == option)
                {
                    seen.offered.insert((i, j));
                }
            }
            _ => {}
        }
    }
    seen.flags.extend(sim.flags().iter().cloned());
    note_fired(sim, 0, seen);
}

/// Notes what a state shows: ranges per scene, flags, options offered, triggers ready.
fn observe(n: &Node, seen: &mut Seen) {
    let sim = &n.sim;
    let s = sim.scene_index();
    let r = seen.ranges.entry(s).or_insert([(f32::MAX, f32::MIN); 3]);
    for (k, v) in [sim.agitation(), sim.trust(), sim.distance()]
        .into_iter()
        .enumerate()
    {
        if v.is_finite() {
            r[k] = (r[k].0.min(v), r[k].1.max(v));
        }
    }
    seen.flags.extend(sim.flags().iter().cloned());
    for o in sim.offered() {
        seen.offered.insert((s, o));
    }
    let sc = sim.scenario();
    for i in 0..sc.scenes[s].triggers.len() {
        if sim.trigger_ready(false, i) {
            seen.ready.insert((Some(s), i));
        }
    }
    for i in 0..sc.triggers.len() {
        if sim.trigger_ready(true, i) {
            seen.ready.insert((None, i));
        }
    }
}

/// Plays `policy` from `node` to the end of the run, writing what it does as script lines:
/// a way to find deep endings that a consistent trainee reaches.
pub(super) fn rollout(sc: &Scenario, node: &Node, policy: Policy, cover: &[Footprint]) -> Node {
    let mut n = node.clone();
    let subject = (n.sim.subject().spawn.x, n.sim.subject().spawn.z);
    let stand = policy.stand_off(sc, &n.sim);
    let (dx, dz) = (n.st.x - subject.0, n.st.z - subject.1);
    let d = (dx * dx + dz * dz).sqrt().max(1e-3);
    if stand.is_finite() && (d - stand).abs() > 0.3 {
        let (x, z) = (subject.0 + dx / d * stand, subject.1 + dz / d * stand);
        let speed = policy.speed();
        let step = Step::Move { x, z, speed };
        n.lines.push((n.sim.tick(), command(&step)));
        n.target = Some((x, z, speed));
    }
    let mut next_talk = n.sim.tick() + 20;
    while !n.sim.is_finished() && !n.sim.out_of_time() {
        let mut action = None;
        if policy != Policy::Silent && n.sim.tick() >= next_talk {
            action = crate::explore::policy::next_action(policy, &n.sim);
            next_talk = n.sim.tick() + policy.gap_ticks();
        }
        match &action {
            Some(Action::Say { option, tone }) => {
                n.lines.push((n.sim.tick(), format!("say {option} {tone}")))
            }
            Some(Action::Pause) => n.lines.push((n.sim.tick(), "pause".into())),
            _ => {}
        }
        move_one_tick(&mut n.st, &mut n.target, subject, cover);
        if n.sim
            .step(&TickInput {
                trainee: n.st,
                action,
            })
            .is_err()
        {
            break;
        }
    }
    n
}

/// Scene hops from each scene to `ending`, ignoring conditions (`u32::MAX`: never).
pub(super) fn hops_to(sc: &Scenario, ending: &str) -> Vec<u32> {
    use crate::format::scenario::Next;
    fn targets<'a>(n: &'a Next, out: &mut Vec<&'a Next>) {
        match n {
            Next::OneOf(bs) => bs.iter().for_each(|b| targets(&b.to, out)),
            other => out.push(other),
        }
    }
    let n = sc.scenes.len();
    let mut edges: Vec<Vec<&Next>> = vec![Vec::new(); n];
    for (i, s) in sc.scenes.iter().enumerate() {
        for o in &s.options {
            targets(&o.next, &mut edges[i]);
            o.tone_branches
                .iter()
                .for_each(|b| targets(&b.next, &mut edges[i]));
        }
        s.triggers
            .iter()
            .chain(&sc.triggers)
            .for_each(|t| targets(&t.goto, &mut edges[i]));
    }
    let mut hops = vec![u32::MAX; n];
    for (i, es) in edges.iter().enumerate() {
        if es
            .iter()
            .any(|e| matches!(e, Next::Ending(x) if x == ending))
            || sc.timeout_ending == ending
        {
            hops[i] = 0;
        }
    }
    // Relax until nothing changes (scenarios have tens of scenes).
    loop {
        let mut changed = false;
        for (i, es) in edges.iter().enumerate() {
            for e in es {
                if let Next::Scene(id) = e
                    && let Some(j) = sc.scene_index(id)
                    && hops[j] != u32::MAX
                    && hops[j] + 1 < hops[i]
                {
                    hops[i] = hops[j] + 1;
                    changed = true;
                }
            }
        }
        if !changed {
            return hops;
        }
    }
}

/// How promising a node is for reaching an ending of outcome `good` (lower first): scene
/// hops to it, then trust over agitation for a good ending (agitation for a bad one),
/// then fewer steps.
fn rank(n: &Node, hops: &[u32], flags: &[String], good: bool) -> (u32, i32, usize) {
    let sim = &n.sim;
    let missing = flags.iter().filter(|f| !sim.has_flag(f)).count() as u32;
    let mood = if good {
        (sim.agitation() - sim.trust()) as i32
    } else {
        -(sim.agitation() as i32)
    };
    (
        hops[sim.scene_index()].saturating_add(missing),
        mood / 5,
        n.lines.len(),
    )
}

/// Flags that options or triggers leading straight to `ending` require.
fn flags_for(sc: &Scenario, ending: &str) -> Vec<String> {
    use crate::format::scenario::{Condition, Next, When};
    fn leads(n: &Next, e: &str) -> bool {
        match n {
            Next::Ending(x) => x == e,
            Next::OneOf(bs) => bs.iter().any(|b| leads(&b.to, e)),
            _ => false,
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut add = |conds: &[Condition]| {
        for c in conds {
            if let Condition::Flag(f) = c
                && !out.contains(f)
            {
                out.push(f.clone());
            }
        }
    };
    for s in &sc.scenes {
        for o in s.options.iter().filter(|o| leads(&o.next, ending)) {
            add(&o.requires);
        }
        for t in s
            .triggers
            .iter()
            .chain(&sc.triggers)
            .filter(|t| leads(&t.goto, ending))
        {
            add(&t.requires);
            if let When::Flag(f) = &t.when {
                add(&[Condition::Flag(f.clone())]);
            }
        }
    }
    out
}

/// Best-first search for one ending, guided by [`rank`].
pub(super) fn seek(
    sc: &Arc<Scenario>,
    start: Node,
    injects: bool,
    budget: usize,
    ending: &str,
    seen: &mut Seen,
) -> Option<Node> {
    let cover = Footprint::of_cover_props(sc);
    let places = places(sc, &start.sim);
    let hops = hops_to(sc, ending);
    let flags = flags_for(sc, ending);
    let good = sc
        .ending(ending)
        .is_some_and(|e| e.outcome.is_deescalated());
    let mut heap = BinaryHeap::new();
    let mut nodes = vec![start];
    heap.push(Reverse((rank(&nodes[0], &hops, &flags, good), 0usize)));
    let mut visited = HashSet::new();
    let mut idled = HashSet::new();
    let mut used = 0;
    while let Some(Reverse((_, i))) = heap.pop() {
        if used >= budget {
            break;
        }
        used += 1;
        seen.nodes += 1;
        let node = nodes[i].clone();
        observe(&node, seen);
        let to_the_end = idled.insert(node.sim.scene_index());
        for step in steps(sc, &node, &places, injects, to_the_end) {
            let Some(next) = take(&node, &step, &cover, seen) else {
                continue;
            };
            if let Some(e) = next.sim.ending() {
                if e.id == ending {
                    return Some(next);
                }
                continue;
            }
            if next.sim.out_of_time() || !visited.insert(key(&next, sc)) {
                continue;
            }
            heap.push(Reverse((rank(&next, &hops, &flags, good), nodes.len())));
            nodes.push(next);
        }
    }
    None
}

/// Breadth-first search from the start; returns the first node found for each ending
/// (shortest in steps), stopping when every ending has one or `budget` nodes were explored.
pub(super) fn explore(
    sc: &Arc<Scenario>,
    start: Node,
    injects: bool,
    budget: usize,
    want: &[String],
    seen: &mut Seen,
) -> (BTreeMap<String, Node>, Vec<Node>) {
    let cover = Footprint::of_cover_props(sc);
    let places = places(sc, &start.sim);
    let mut found: BTreeMap<String, Node> = BTreeMap::new();
    let mut expanded: Vec<Node> = Vec::new();
    let mut visited = HashSet::new();
    let mut idled = HashSet::new();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        if seen.nodes >= budget || want.iter().all(|w| found.contains_key(w)) {
            break;
        }
        seen.nodes += 1;
        observe(&node, seen);
        let to_the_end = idled.insert(node.sim.scene_index());
        for step in steps(sc, &node, &places, injects, to_the_end) {
            let Some(next) = take(&node, &step, &cover, seen) else {
                continue;
            };
            if let Some(e) = next.sim.ending() {
                found.entry(e.id.clone()).or_insert(next);
                continue;
            }
            if expanded.len() < 2000 {
                expanded.push(next.clone());
            }
            if next.sim.out_of_time() {
                continue;
            }
            if visited.insert(key(&next, sc)) {
                queue.push_back(next);
            }
        }
    }
    (found, expanded)
}
