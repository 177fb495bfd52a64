//! `deescalate graph`: the page is self-contained and escapes hostile text, shows every scene
//! and ending, marks what cannot be reached, overlays a record's path; the DOT output is a
//! digraph with one node per scene and ending; a 100-scene layout has no overlapping boxes.

mod common;
use common::{bin, root};

use deescalate::author::graph;
use deescalate::check;
use deescalate::format::scenario::Scenario;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

fn tmpdir(name: &str) -> PathBuf {
    common::tmpdir("graph", name)
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "command failed ({:?})\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn load(path: &Path) -> Arc<Scenario> {
    Arc::new(
        check::load_scenario(path)
            .unwrap_or_else(|r| panic!("{}", r.render(false)))
            .0,
    )
}

/// A small deterministic random number generator for the generated scenario.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Scenes per act of the generated story: it widens, runs ten abreast, then narrows.
const ACTS: [usize; 14] = [1, 2, 4, 6, 8, 10, 10, 10, 10, 10, 10, 8, 4, 3];
/// Four more scenes that only lead to each other: nothing from the start reaches them.
const ISLAND: usize = 4;

/// A valid 100-scene scenario shaped like a real branching story: acts of parallel scenes,
/// options onwards (and some two acts on), ways back, tone branches, `OneOf` branches on the
/// temperament, scene triggers to bad endings and onwards, scenario-wide triggers, and an
/// island of scenes (and an ending) nothing reaches.
fn hundred_scene_scenario() -> String {
    let mut rng = Lcg(7);
    let first: Vec<usize> = ACTS
        .iter()
        .scan(0, |at, n| {
            let s = *at;
            *at += n;
            Some(s)
        })
        .collect();
    let main = ACTS.iter().sum::<usize>();
    let id = |act: usize, pos: usize| format!("s{}", first[act] + pos);
    let mut s = String::from(HEADER);
    for (a, &n) in ACTS.iter().enumerate() {
        for p in 0..n {
            scene(&mut s, &mut rng, a, p, n, &id);
        }
    }
    for k in 0..ISLAND {
        let i = main + k;
        let next = if k + 1 < ISLAND {
            format!("Scene(\"s{}\")", i + 1)
        } else {
            "Ending(\"orphan\")".to_string()
        };
        let _ = writeln!(
            s,
            "(id: \"s{i}\", lines: [\"An old draft of scene {i}.\"], options: [\
             (id: \"on\", text: \"Go on.\", tags: [OpenQuestion], next: {next}),\
             (id: \"back\", text: \"Back.\", tags: [Paraphrase], next: Scene(\"s{}\"))]),",
            main + (k + ISLAND - 1) % ISLAND
        );
    }
    s.push_str(FOOTER);
    s
}

/// A position in an act of `m` scenes near position `p` of an act of `n`: the same place
/// give or take one, and one time in six anywhere (stories mostly link nearby threads).
fn near(rng: &mut Lcg, p: usize, n: usize, m: usize) -> usize {
    if rng.chance(16) {
        return rng.below(m);
    }
    let at = (p * m + m / 2) / n.max(1);
    (at + rng.below(3)).saturating_sub(1).min(m - 1)
}

/// One scene of act `a` at position `p` (of `n`).
fn scene(
    s: &mut String,
    rng: &mut Lcg,
    a: usize,
    p: usize,
    n: usize,
    id: &dyn Fn(usize, usize) -> String,
) {
    let last = ACTS.len() - 1;
    let me = id(a, p);
    let onward = |rng: &mut Lcg, q: usize| -> String {
        if a == last {
            ["talked_down", "handed_over", "contained", "withdrew"][rng.below(4)].to_string()
        } else {
            id(a + 1, q % ACTS[a + 1])
        }
    };
    let target = |name: String| -> String {
        if name.starts_with('s') && name[1..].chars().all(|c| c.is_ascii_digit()) {
            format!("Scene(\"{name}\")")
        } else {
            format!("Ending(\"{name}\")")
        }
    };
    let _ = write!(
        s,
        "(id: \"{me}\", lines: [\"Line {p} of act {a}: what {me} says first.\", \"Another way {me} says it.\"],\n options: [\
         (id: \"listen\", text: \"I'm listening.\", tags: [ActiveListening], agitation: -2.0, trust: 2.0),\n"
    );
    let ask = onward(rng, p);
    let tone = if rng.chance(30) {
        ", tone_branches: [(tones: [Commanding, Shouting], next: Ending(\"force\"), why: \"Orders shouted at him sound like an attack.\")]"
    } else {
        ""
    };
    let _ = writeln!(
        s,
        "(id: \"ask\", text: \"What happened tonight?\", tags: [OpenQuestion], trust: 3.0, next: {}{tone}),",
        target(ask)
    );
    let offer = if a < last && p + n < ACTS[a + 1] {
        id(a + 1, p + n)
    } else {
        let q = p + 1 + rng.below(2);
        onward(rng, q)
    };
    let _ = writeln!(
        s,
        "(id: \"offer\", text: \"Would a coffee help?\", tags: [OfferOptions], trust: 2.0, next: {}),",
        target(offer)
    );
    if a + 2 <= last && rng.chance(30) {
        let far = id(a + 2, near(rng, p, n, ACTS[a + 2]));
        let _ = writeln!(
            s,
            "(id: \"skip\", text: \"Let's sit down.\", tags: [Rapport], requires: [TrustAbove(40.0)], next: Scene(\"{far}\")),"
        );
    }
    if a >= 2 && rng.chance(25) {
        let back = id(a - 1, near(rng, p, n, ACTS[a - 1]));
        let _ = writeln!(
            s,
            "(id: \"step_back\", text: \"I'll give you some room.\", tags: [Withdraw], next: Scene(\"{back}\"), tone_branches: [(tones: [Shouting], next: Ending(\"assault\"))]),"
        );
    }
    if a < last && (p + a).is_multiple_of(4) {
        let x = id(a + 1, near(rng, p, n, ACTS[a + 1]));
        let y = id(a + 1, near(rng, p, n, ACTS[a + 1]));
        let _ = writeln!(
            s,
            "(id: \"share\", text: \"Tell me about her.\", tags: [Empathy], next: OneOf([\
             (to: Scene(\"{x}\"), when: [Temperament(\"volatile\")], why: \"He hears pity.\"),\
             (to: Scene(\"{y}\"), weight: 2.0),\
             (to: Stay, when: [Flag(\"calmed\")])])),"
        );
    }
    s.push_str("],\n triggers: [");
    let bad = ["fled", "force", "assault"][rng.below(3)];
    let _ = write!(
        s,
        "(when: AgitationAbove(92.0), goto: Ending(\"{bad}\"), why: \"He could not take any more.\"),"
    );
    if a < last && rng.chance(25) {
        let q = id(a + 1, near(rng, p, n, ACTS[a + 1]));
        let _ = write!(s, "(when: SecondsInScene(75.0), goto: Scene(\"{q}\")),");
    }
    s.push_str("]),\n");
}

const HEADER: &str = r#"(
    id: "hundred",
    title: "A hundred scenes",
    briefing: "A generated scenario to check the scene graph on a large story.",
    objectives: ["Read the graph"],
    expected_minutes: 8.0,
    time_limit_minutes: 12.0,
    timeout_ending: "timeout",
    place: (environment: Street, trainee_spawn: (x: 0.0, z: 20.0)),
    subject: (
        name: "Sam",
        spawn: (x: 0.0, z: 0.0),
        baseline_agitation: 40.0,
        baseline_trust: 30.0,
        personal_space: 3.0,
        reactionary_gap: 2.0,
    ),
    variation: (temperaments: [
        (id: "steady", weight: 2.0, description: "Sam was steady."),
        (id: "volatile", description: "Sam was volatile."),
    ]),
    start_scene: "s0",
    scenes: [
"#;

const FOOTER: &str = r#"    ],
    triggers: [
        (when: TrustAbove(97.0), goto: Ending("talked_down"), why: "He trusted you."),
        (when: Injected("crisis_team"), goto: OneOf([(to: Ending("handed_over"), when: [Temperament("steady")]), (to: Ending("contained"))])),
    ],
    injects: [(id: "crisis_team", label: "The crisis team arrives", line: "Control: the crisis team is two minutes out.")],
    endings: [
        (id: "talked_down", outcome: ResolvedVoluntarily, title: "Talked down", summary: "He came with you."),
        (id: "handed_over", outcome: HandedToCare, title: "Handed to the crisis team", summary: "Care took over."),
        (id: "contained", outcome: ContainedAwaitingSpecialists, title: "Contained", summary: "You held the scene."),
        (id: "withdrew", outcome: TacticalWithdrawal, title: "Withdrew", summary: "You stepped back."),
        (id: "timeout", outcome: Unresolved, title: "Time ran out", summary: "Nothing was settled."),
        (id: "fled", outcome: SubjectFled, title: "He ran", summary: "He ran off."),
        (id: "force", outcome: ForceUsed, title: "Force used", summary: "It ended in force."),
        (id: "assault", outcome: SomeoneInjured, title: "Someone was hurt", summary: "Someone was hurt."),
        (id: "orphan", outcome: ResolvedVoluntarily, title: "An old draft's ending", summary: "Nothing reaches this."),
    ],
)
"#;

/// Writes the generated scenario to `dir` and returns its path.
fn write_hundred(dir: &Path) -> PathBuf {
    let p = dir.join("hundred.ron");
    std::fs::write(&p, hundred_scene_scenario()).unwrap();
    p
}

#[test]
fn the_generated_scenario_has_a_hundred_scenes_and_passes_check() {
    let dir = tmpdir("gen");
    let sc = load(&write_hundred(&dir));
    assert_eq!(sc.scenes.len(), 100);
    let g = graph::build(&sc);
    let unreachable: Vec<&str> = (0..sc.scenes.len())
        .filter(|&i| !g.nodes[g.scene_node(i)].reachable)
        .map(|i| sc.scenes[i].id.as_str())
        .collect();
    assert_eq!(unreachable, ["s96", "s97", "s98", "s99"]);
}

/// Writes the graph for `scenario` (with extra arguments) and returns the page.
fn graph_page(dir: &Path, scenario: &Path, extra: &[&str]) -> String {
    let html = dir.join("graph.html");
    let mut c = bin();
    c.args([
        "graph",
        scenario.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ]);
    c.args(extra);
    ok(&c.output().unwrap());
    std::fs::read_to_string(&html).unwrap()
}

/// Keeps the page for a look in a browser when GRAPH_KEEP names a folder.
fn keep(name: &str, page: &str) {
    if let Some(d) = std::env::var_os("GRAPH_KEEP") {
        std::fs::write(Path::new(&d).join(name), page).unwrap();
    }
}

#[test]
fn the_hundred_scene_page_shows_every_scene_and_ending_and_marks_the_island() {
    let dir = tmpdir("hundred");
    let path = write_hundred(&dir);
    let page = graph_page(&dir, &path, &["--budget", "3000"]);
    keep("hundred.html", &page);
    let sc = load(&path);
    let g = graph::build(&sc);
    for (i, s) in sc.scenes.iter().enumerate() {
        let n = g.scene_node(i);
        let node = node_tag(&page, n);
        assert!(
            page.contains(&format!(">{}</text>", s.id)),
            "{} not drawn",
            s.id
        );
        assert_eq!(node.contains("unreach"), i >= 96, "{}: {node}", s.id);
    }
    for (i, e) in sc.endings.iter().enumerate() {
        let node = node_tag(&page, g.ending_node(i));
        assert!(
            page.contains(&format!("(ending {})", e.id)),
            "{} not in its panel",
            e.id
        );
        assert_eq!(
            node.contains("unreach"),
            e.id == "orphan",
            "{}: {node}",
            e.id
        );
    }
}

/// The opening `<g …>` tag of node `n` in the page.
fn node_tag(page: &str, n: usize) -> String {
    let key = format!("id=\"n{n}\"");
    let at = page
        .find(&key)
        .unwrap_or_else(|| panic!("node n{n} missing"));
    let start = page[..at].rfind("<g ").unwrap();
    let end = at + page[at..].find('>').unwrap();
    page[start..=end].to_string()
}

#[test]
fn a_hundred_scene_layout_has_no_overlapping_boxes_or_labels() {
    let dir = tmpdir("layout");
    let sc = load(&write_hundred(&dir));
    let g = graph::build(&sc);
    let lay = graph::layout(&g);
    assert_eq!(lay.boxes.len(), g.nodes.len());
    for (i, a) in lay.boxes.iter().enumerate() {
        assert!(a.x >= 0.0 && a.y >= 0.0 && a.x + a.w <= lay.width && a.y + a.h <= lay.height);
        for (j, b) in lay.boxes.iter().enumerate().skip(i + 1) {
            assert!(!a.overlaps(b), "nodes {i} and {j} overlap: {a:?} {b:?}");
        }
    }
    let labels: Vec<_> = lay.lines.iter().filter_map(|l| l.label_box).collect();
    assert!(
        labels.len() * 2 > lay.lines.len(),
        "most lines keep their label on the graph"
    );
    for (i, a) in labels.iter().enumerate() {
        assert!(
            !lay.boxes.iter().any(|b| b.overlaps(a)),
            "label {a:?} covers a node"
        );
        assert!(
            !labels[i + 1..].iter().any(|b| b.overlaps(a)),
            "labels overlap at {a:?}"
        );
    }
}

/// Markup that would run script if a page let it through, in every kind of text a scenario
/// has (ids included), with quotes and a backslash for the DOT output.
const HOSTILE: &str = r#"</script><img src=x onerror=alert(1)>"#;

fn hostile_scenario() -> String {
    let h = HOSTILE;
    format!(
        r#"(
    id: "hostile",
    title: "Title {h}",
    briefing: "Briefing {h}",
    objectives: ["Objective {h}"],
    expected_minutes: 2.0,
    time_limit_minutes: 3.0,
    timeout_ending: "end{h}",
    place: (environment: Street, trainee_spawn: (x: 0.0, z: 8.0)),
    subject: (name: "Name {h}", spawn: (x: 0.0, z: 0.0), baseline_agitation: 40.0,
              baseline_trust: 20.0, personal_space: 2.0, reactionary_gap: 1.5),
    start_scene: "start{h}",
    scenes: [
        (id: "start{h}", lines: ["He said \"go\" \\ now {h}"], note: "Note {h}",
         options: [
            (id: "talk{h}", text: "Option {h}", tags: [OpenQuestion], why: "Why {h}",
             reply: ["Reply {h}"], next: Scene("next{h}"),
             tone_branches: [(tones: [Shouting], next: Ending("end{h}"), why: "Tone {h}")]),
         ],
         triggers: [(when: SecondsInScene(30.0), goto: Scene("next{h}"), line: "Trigger {h}", why: "Because {h}")]),
        (id: "next{h}", lines: ["Next {h}"],
         options: [(id: "bye", text: "Bye {h}", tags: [Rapport], next: Ending("end{h}"))]),
        (id: "lost{h}", lines: ["Nothing leads here {h}"],
         options: [(id: "go", text: "Go {h}", tags: [Rapport], next: Ending("end{h}"))]),
    ],
    endings: [
        (id: "end{h}", outcome: ResolvedVoluntarily, title: "Ending {h}", summary: "Summary {h}", line: "Last {h}"),
    ],
)
"#
    )
}

#[test]
fn the_page_is_self_contained_and_escapes_hostile_text() {
    let dir = tmpdir("hostile");
    let path = dir.join("hostile.ron");
    std::fs::write(&path, hostile_scenario()).unwrap();
    let page = graph_page(&dir, &path, &[]);
    keep("hostile.html", &page);
    // Nothing the scenario wrote became markup: only the page's own two scripts exist.
    assert!(!page.contains("<img"), "an <img> got through");
    assert_eq!(page.matches("<script").count(), 2);
    assert_eq!(page.matches("</script>").count(), 2);
    let escaped = "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;";
    for what in [
        "Title", "Option", "Why", "Reply", "Trigger", "Because", "Ending", "Summary", "Note",
    ] {
        assert!(
            page.contains(&format!("{what} {escaped}")),
            "{what} text missing or unescaped"
        );
    }
    assert!(
        page.contains(&format!("start{escaped}")),
        "the scene id is not shown escaped"
    );
    // Self-contained: no file, script, style, font or image is fetched from anywhere.
    for fetch in [
        "src=\"", "<link", "@import", "http://", "https://", "<iframe", "<object",
    ] {
        assert!(!page.contains(fetch), "the page fetches something: {fetch}");
    }
    for (i, _) in page.match_indices("href=\"") {
        assert!(
            page[i..].starts_with("href=\"#"),
            "an outside link: {}",
            &page[i..i + 40]
        );
    }
    for (i, _) in page.match_indices("url(") {
        assert!(
            page[i..].starts_with("url(#"),
            "an outside url: {}",
            &page[i..i + 40]
        );
    }
    // The scene nothing leads to is marked, and says so in words.
    let sc = load(&path);
    let g = graph::build(&sc);
    assert!(node_tag(&page, g.scene_node(2)).contains("unreach"));
    assert!(!node_tag(&page, g.scene_node(0)).contains("unreach"));
    assert!(page.contains("⊘ unreachable"));
}

/// A minimal DOT reader: the graph's kind, its node ids and its edges (ids unquoted).
fn read_dot(text: &str) -> (String, Vec<String>, Vec<(String, String)>) {
    let mut toks: Vec<String> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '"' => {
                let mut s = String::from("\"");
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => s.push(chars.next().expect("escape at the end")),
                        '"' => break,
                        c => s.push(c),
                    }
                }
                toks.push(s);
            }
            '-' if chars.peek() == Some(&'>') => {
                chars.next();
                toks.push("->".into());
            }
            '{' | '}' | '[' | ']' | ';' | ',' | '=' => toks.push(c.to_string()),
            c if c.is_alphanumeric() || c == '_' || c == '.' => {
                let mut s = c.to_string();
                while let Some(&d) = chars
                    .peek()
                    .filter(|d| d.is_alphanumeric() || **d == '_' || **d == '.')
                {
                    s.push(d);
                    chars.next();
                }
                toks.push(s);
            }
            c => panic!("unexpected character {c:?} in DOT"),
        }
    }
    let id = |t: &str| t.strip_prefix('"').unwrap_or(t).to_string();
    assert_eq!(toks[0], "digraph");
    assert_eq!(toks[2], "{");
    assert_eq!(toks.last().map(String::as_str), Some("}"));
    let (mut nodes, mut edges) = (Vec::new(), Vec::new());
    let mut i = 3;
    let skip_attrs = |i: &mut usize| {
        if toks[*i] == "[" {
            while toks[*i] != "]" {
                *i += 1;
            }
            *i += 1;
        }
    };
    while toks[i] != "}" {
        let a = toks[i].clone();
        i += 1;
        if toks[i] == "->" {
            edges.push((id(&a), id(&toks[i + 1])));
            i += 2;
        } else if !["graph", "node", "edge"].contains(&a.as_str()) {
            nodes.push(id(&a));
        }
        skip_attrs(&mut i);
        assert_eq!(toks[i], ";", "statement not closed after {a}");
        i += 1;
    }
    (toks[0].clone(), nodes, edges)
}

#[test]
fn dot_output_is_a_digraph_with_one_node_per_scene_and_ending() {
    let dir = tmpdir("dot");
    for path in [
        write_hundred(&dir),
        root().join("scenarios/knife_sidewalk.ron"),
        {
            let p = dir.join("hostile.ron");
            std::fs::write(&p, hostile_scenario()).unwrap();
            p
        },
    ] {
        let out = bin()
            .args(["graph", path.to_str().unwrap(), "--no-routes"])
            .output()
            .unwrap();
        let text = ok(&out);
        let (kind, nodes, edges) = read_dot(&text);
        assert_eq!(kind, "digraph");
        let sc = load(&path);
        for s in &sc.scenes {
            let want = format!("scene:{}", s.id);
            assert_eq!(nodes.iter().filter(|n| **n == want).count(), 1, "{want}");
        }
        for e in &sc.endings {
            let want = format!("ending:{}", e.id);
            assert_eq!(nodes.iter().filter(|n| **n == want).count(), 1, "{want}");
        }
        let named = |n: &String| n.starts_with("scene:") || n.starts_with("ending:");
        assert_eq!(
            nodes.iter().filter(|n| named(n)).count(),
            sc.scenes.len() + sc.endings.len()
        );
        for (a, b) in &edges {
            assert!(
                nodes.contains(a) && nodes.contains(b),
                "edge {a} -> {b} to no node"
            );
        }
        assert!(
            edges.len() >= sc.scenes.len() - 1,
            "{}: too few edges",
            sc.id
        );
    }
}

#[test]
fn a_record_s_path_is_drawn_in_order_without_following_the_path_stored_in_it() {
    let dir = tmpdir("record");
    let scenario = root().join("scenarios/dementia_car_park.ron");
    let script = root().join("tests/transcripts/dementia_car_park/home_with_susan.txt");
    let rec = dir.join("run.json");
    ok(&common::run_cmd(&scenario, &script)
        .args([
            "--quiet",
            "--record",
            rec.to_str().unwrap(),
            "--trainee",
            HOSTILE,
        ])
        .output()
        .unwrap());
    // Point the record somewhere else: the graph must use the scenario it is given.
    let text = std::fs::read_to_string(&rec).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["scenario_path"] = serde_json::Value::from("/nonexistent/elsewhere.ron");
    std::fs::write(&rec, json.to_string()).unwrap();
    let page = graph_page(
        &dir,
        &scenario,
        &["--no-routes", "--record", rec.to_str().unwrap()],
    );
    keep("record.html", &page);
    assert!(!page.contains("<img"));
    assert!(page.contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&#39;s run"));
    let sc = load(&scenario);
    let g = graph::build(&sc);
    let taken = ["by_the_car", "the_rover", "margaret", "on_the_bench"];
    for s in &sc.scenes {
        let n = g.scene_node(sc.scene_index(&s.id).unwrap());
        let on = node_tag(&page, n).contains("recn");
        assert_eq!(on, taken.contains(&s.id.as_str()), "{}", s.id);
    }
    let home = g.ending_node(sc.ending_index("home_with_susan").unwrap());
    assert!(node_tag(&page, home).contains("recn") || page.contains("proxy good recn"));
    // Numbered in order: one badge per scene entered, and the ending.
    for step in 1..=5 {
        assert!(
            page.contains(&format!(">{step}</text></g>")),
            "no badge {step}"
        );
    }
    assert!(!page.contains(">6</text></g>"));
    assert!(
        page.contains(" rec\" id=\"l"),
        "no line is marked as the record's path"
    );
}

#[test]
fn each_route_runs_from_the_start_to_its_ending_along_the_graph() {
    let path = root().join("scenarios/dementia_car_park.ron");
    let sc = load(&path);
    let g = graph::build(&sc);
    let report = deescalate::explore::routes::find(&sc, &Default::default()).unwrap();
    let walks = graph::route_walks(&g, &sc, &report);
    assert_eq!(walks.len(), report.routes.len());
    assert_eq!(
        walks.len(),
        sc.endings.len(),
        "every ending of the bundled scenario has a route"
    );
    for (ending, w) in &walks {
        let end = g.ending_node(sc.ending_index(ending).unwrap());
        assert_eq!(w.nodes.first().copied(), g.start, "{ending}");
        assert_eq!(w.nodes.last().copied(), Some(end), "{ending}");
        assert!(w.notes.is_empty(), "{ending}: {:?}", w.notes);
        assert_eq!(g.edges[*w.edges.last().unwrap()].to, end, "{ending}");
        for e in &w.edges {
            assert!(w.nodes.contains(&g.edges[*e].from) && w.nodes.contains(&g.edges[*e].to));
        }
    }
    // The page offers each of them and knows which ending each one ends at.
    let ov = graph::Overlays {
        report: Some(report),
        routes: walks.clone(),
        record: None,
    };
    let page = graph::html(&sc, &g, &graph::layout(&g), &ov);
    keep("dementia.html", &page);
    let data = &page[page.find("const ROUTES=").unwrap()..];
    let data = &data[..data.find("];").unwrap()];
    let ends: Vec<usize> = data
        .split("e:")
        .skip(1)
        .map(|s| s[..s.find('}').unwrap()].parse().unwrap())
        .collect();
    for (k, (ending, _)) in walks.iter().enumerate() {
        let title = &sc.ending(ending).unwrap().title;
        assert!(
            page.contains(&format!(
                "<option value=\"{k}\">{}",
                title.replace('\'', "&#39;")
            )),
            "{ending}"
        );
        assert_eq!(ends[k], g.ending_node(sc.ending_index(ending).unwrap()));
    }
}

#[test]
fn the_graph_commands_quoted_in_the_format_reference_run() {
    let doc = std::fs::read_to_string(root().join("docs/scenario-format.md")).unwrap();
    let start = doc.find("### 18.1").expect("the graph section");
    let section = &doc[start..start + doc[start..].find("\n## ").unwrap()];
    let commands: Vec<&str> = section
        .lines()
        .filter(|l| l.starts_with("deescalate graph "))
        .collect();
    assert!(commands.len() >= 3, "{commands:?}");
    let dir = tmpdir("docs");
    // The record the second example draws: a run of the same scenario.
    let scenario = root().join("scenarios/dementia_car_park.ron");
    let script = root().join("tests/transcripts/dementia_car_park/home_with_susan.txt");
    let rec = dir.join("run.json");
    ok(&common::run_cmd(&scenario, &script)
        .args(["--quiet", "--record", rec.to_str().unwrap()])
        .output()
        .unwrap());
    for cmd in commands {
        let words: Vec<&str> = cmd.split_whitespace().skip(1).collect();
        let mut args: Vec<String> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let after = i.checked_sub(1).map(|j| words[j]);
            args.push(match after {
                Some("--html" | "--dot" | "--record") => dir.join(w).display().to_string(),
                _ if w.ends_with(".ron") => root().join(w).display().to_string(),
                _ => w.to_string(),
            });
        }
        ok(&bin().args(&args).output().unwrap());
        for (i, w) in words.iter().enumerate() {
            if matches!(w, &"--html" | &"--dot") {
                let written = std::fs::read_to_string(dir.join(words[i + 1])).unwrap();
                assert!(written.contains("by_the_car"), "{cmd}: nothing drawn");
            }
        }
    }
}

#[test]
fn a_record_of_another_scenario_is_refused_with_both_names() {
    let dir = tmpdir("other");
    let script = root().join("tests/transcripts/dementia_car_park/home_with_susan.txt");
    let rec = dir.join("run.json");
    ok(
        &common::run_cmd(&root().join("scenarios/dementia_car_park.ron"), &script)
            .args(["--quiet", "--record", rec.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    let knife = root().join("scenarios/knife_sidewalk.ron");
    let html = dir.join("graph.html");
    let out = bin()
        .args(["graph", knife.to_str().unwrap(), "--no-routes", "--record"])
        .args([rec.to_str().unwrap(), "--html", html.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("dementia_car_park") && err.contains("knife_sidewalk"),
        "{err}"
    );
    assert!(
        !html.exists(),
        "a page was written for a record that does not fit"
    );
}
