//! The debrief page's style sheet: screen first (18 px base, one column up to 1080 px), then
//! A4 print rules (page breaks before the charts, timeline, key moments and reflection).

pub(super) const CSS: &str = r#"
:root{--ink:#111827;--muted:#4b5563;--line:#d1d5db;--soft:#f3f4f6;--accent:#1e3a8a;
--up:#b91c1c;--down:#15803d;--good-bg:#e8f6ec;--good:#14532d;--mid-bg:#fff4e0;--mid:#7a4100;
--hard-bg:#fde8e8;--hard:#7f1d1d}
*{box-sizing:border-box}
html{font-size:18px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:#fff;color:var(--ink);font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;line-height:1.5}
main{max-width:1080px;margin:0 auto;padding:2rem 1.5rem 3rem}
h1{font-size:2rem;line-height:1.2;margin:.2rem 0 .8rem}
h2{font-size:1.4rem;margin:0 0 .8rem;padding-bottom:.3rem;border-bottom:3px solid var(--ink)}
h3{font-size:1.1rem;margin:0 0 .4rem}
section{margin:2.4rem 0 0}
p{margin:.4rem 0}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-weight:700;color:var(--accent);font-size:.85rem;margin:0}
.meta{display:flex;flex-wrap:wrap;gap:.4rem 2rem;margin:0;padding:.7rem 1rem;background:var(--soft);border-radius:6px}
.meta div{display:flex;gap:.4rem}
.meta dt{color:var(--muted)}
.meta dd{margin:0;font-weight:600}
.intro{color:var(--muted);font-size:.95rem}
.outcome{border-left:8px solid;padding:.8rem 1.2rem;border-radius:4px}
.outcome.good{background:var(--good-bg);border-color:#2f855a}
.outcome.mid{background:var(--mid-bg);border-color:#c27c0e}
.outcome.hard{background:var(--hard-bg);border-color:#b42318}
.outcome h3{font-size:1.3rem;margin:.1rem 0 .3rem}
.pill{display:inline-block;padding:.05rem .6rem;border-radius:999px;font-size:.8rem;font-weight:700;border:1px solid rgba(0,0,0,.15);white-space:nowrap;vertical-align:middle}
.pill.good{background:#fff;color:var(--good)}.pill.mid{background:#fff;color:var(--mid)}.pill.hard{background:#fff;color:var(--hard)}
.pill.calm{background:#d7f0de;color:#0f4d2a}.pill.neutral{background:#e5e7eb;color:#1f2937}
.pill.firm{background:#dbe6fd;color:#1a3a8f}.pill.commanding{background:#fde3cc;color:#7a2e05}
.pill.shouting{background:#fcd9d9;color:#7f1414}
.arc{font-size:1.05rem}
.callout{margin-top:1rem;background:var(--good-bg);border:2px solid #2f855a;border-radius:6px;padding:.8rem 1.2rem}
.callout h3{color:var(--good)}
.note{color:var(--muted);font-size:.9rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(440px,100%),1fr));gap:1rem;align-items:start}
.card{border:2px solid var(--line);border-radius:8px;padding:.9rem 1rem;background:#fff}
.card header{display:flex;align-items:baseline;justify-content:space-between;gap:1rem}
.score{font-size:2.2rem;font-weight:800;line-height:1}
.score small{font-size:.9rem;font-weight:600;color:var(--muted)}
.meter{height:10px;background:var(--soft);border:1px solid var(--line);border-radius:5px;margin:.5rem 0 .6rem;overflow:hidden}
.meter span{display:block;height:100%;background:var(--accent)}
.overall{border-color:var(--accent);margin-bottom:1rem}
.overall .score{font-size:3rem}
.dimrow{display:grid;grid-template-columns:14rem 1fr 3rem;gap:.6rem;align-items:center;margin:.25rem 0}
.dimrow .meter{margin:0}
.dimrow b{text-align:right}
.items{list-style:none;margin:0;padding:0;font-size:.92rem}
.items li{display:grid;grid-template-columns:3.6rem 3.2rem 1fr;gap:.4rem;padding:.3rem 0;border-top:1px solid var(--soft)}
.items .pts{font-weight:800;text-align:right;font-variant-numeric:tabular-nums}
.items .base .pts{color:var(--ink)}
.items .plus .pts{color:var(--down)}
.items .minus .pts{color:var(--up)}
.items .base{color:var(--muted);font-style:italic}
.ts{font-variant-numeric:tabular-nums;color:var(--muted);font-size:.85rem;white-space:nowrap}
.items .ts{padding-top:.1rem}
.sum{font-size:.85rem;color:var(--muted);margin-top:.3rem}
figure{margin:0 0 1.6rem;border:2px solid var(--line);border-radius:8px;padding:.8rem 1rem}
figcaption{font-weight:700;margin-bottom:.4rem}
svg.chart{display:block;width:100%;height:auto}
svg text{font-family:inherit}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;font-size:.85rem;margin-top:.4rem;padding:0;list-style:none}
.legend li{display:flex;align-items:center;gap:.35rem}
.legend svg{width:26px;height:16px;flex:none}
table{width:100%;border-collapse:collapse;font-size:.95rem}
th{text-align:left;font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);border-bottom:2px solid var(--ink);padding:.3rem .5rem}
td{vertical-align:top;padding:.45rem .5rem;border-bottom:1px solid var(--line)}
td.t{font-variant-numeric:tabular-nums;white-space:nowrap;color:var(--muted)}
td.who{font-weight:700;white-space:nowrap}
tr.subject td{background:#f7f7fb}
tr.scene td.say,tr.instructor td.say{color:#374151;font-style:italic}
tr.trainee td.who{color:var(--accent)}
tr.radio td.who{color:#047857}
.why{display:block;font-size:.82rem;color:var(--muted);margin-top:.15rem}
td.ag{white-space:nowrap;font-variant-numeric:tabular-nums}
.arrow{font-weight:800}
.arrow.up{color:var(--up)}.arrow.down{color:var(--down)}.arrow.flat{color:var(--muted)}
.list{list-style:none;padding:0;margin:0}
.list li{display:grid;grid-template-columns:6.5rem 4rem 1fr;gap:.6rem;padding:.45rem 0;border-bottom:1px solid var(--line);align-items:baseline}
.delta{font-weight:800;text-align:right;font-variant-numeric:tabular-nums}
.delta.up{color:var(--up)}.delta.down{color:var(--down)}
.ind{list-style:none;padding:0;margin:0}
.ind li{display:flex;gap:.7rem;align-items:baseline;padding:.35rem 0;border-bottom:1px solid var(--line)}
.ind .mark{font-weight:800;width:1.3rem;text-align:center}
.ind .yes .mark{color:var(--down)}.ind .no .mark{color:var(--up)}
.ind .no .state{color:var(--up)}
.causes{margin:.4rem 0 0}
.cause{display:grid;grid-template-columns:15rem 1fr 4.2rem;gap:.7rem;align-items:center;padding:.25rem 0}
.track{position:relative;height:18px;background:var(--soft);border-radius:3px}
.track::after{content:"";position:absolute;left:50%;top:-3px;bottom:-3px;border-left:2px solid var(--ink)}
.bar{position:absolute;top:2px;bottom:2px}
.bar.up{left:50%;background:var(--up);border-radius:0 3px 3px 0}
.bar.down{right:50%;background:var(--down);border-radius:3px 0 0 3px}
.cause .v{text-align:right;font-weight:800;font-variant-numeric:tabular-nums}
.cause .v.up{color:var(--up)}.cause .v.down{color:var(--down)}
.axisnote{display:grid;grid-template-columns:15rem 1fr 4.2rem;gap:.7rem;font-size:.8rem;color:var(--muted)}
.axisnote span:nth-child(2){display:flex;justify-content:space-between}
ol.cdm{padding-left:0;list-style:none;counter-reset:cdm;margin:0}
ol.cdm>li{counter-increment:cdm;border:2px solid var(--line);border-radius:8px;padding:.7rem 1rem .7rem 3.4rem;margin-bottom:.8rem;position:relative}
ol.cdm>li::before{content:counter(cdm);position:absolute;left:.9rem;top:.6rem;width:1.8rem;height:1.8rem;border-radius:50%;background:var(--accent);color:#fff;font-weight:800;display:flex;align-items:center;justify-content:center}
ol.cdm ul{margin:.2rem 0 .4rem;padding-left:1.2rem}
.q{font-style:italic;border-left:4px solid var(--accent);padding-left:.7rem;margin:.4rem 0 0}
.objectives li{margin:.3rem 0}
footer{margin-top:3rem;padding-top:.8rem;border-top:1px solid var(--line);color:var(--muted);font-size:.85rem}
.empty{color:var(--muted);font-style:italic}
@page{size:A4;margin:14mm 12mm}
@media print{
html{font-size:10.5pt}
main{max-width:none;padding:0}
section{margin-top:1.2rem}
section.page{break-before:page}
h2{break-after:avoid}
figure,.overall,.callout,.outcome,ol.cdm>li,.list li,.ind li,.cause,tr,.meta,.items li{break-inside:avoid}
thead{display:table-header-group}
.cards{display:block}
.card{padding:.5rem .7rem;margin-bottom:.6rem}
.card header,.card .meter,.items li:first-child{break-after:avoid}
figure{padding:.5rem .6rem;margin-bottom:.8rem}
svg.chart{max-height:120mm}
.hover{display:none}
}
"#;
