(function () {
  "use strict";
  const svg = document.getElementById("svg");
  const cam = document.getElementById("cam");
  const world = document.getElementById("world");
  const W = parseFloat(world.dataset.w), H = parseFloat(world.dataset.h);
  const mini = document.getElementById("mini");
  const viewrect = document.getElementById("viewrect");
  const nodes = Array.from(document.querySelectorAll("#nodes .node:not(.proxy)"));
  let s = 1, tx = 0, ty = 0;

  function apply() {
    cam.setAttribute("transform", "translate(" + tx + "," + ty + ") scale(" + s + ")");
    svg.classList.toggle("far", s < 0.5);
    const r = svg.getBoundingClientRect();
    viewrect.setAttribute("x", -tx / s);
    viewrect.setAttribute("y", -ty / s);
    viewrect.setAttribute("width", r.width / s);
    viewrect.setAttribute("height", r.height / s);
  }
  function clampScale(v) { return Math.min(2.5, Math.max(0.04, v)); }
  function zoomAt(f, cx, cy) {
    const ns = clampScale(s * f);
    tx = cx - (cx - tx) * ns / s;
    ty = cy - (cy - ty) * ns / s;
    s = ns;
    apply();
  }
  function fitBox(x, y, w, h, most) {
    const r = svg.getBoundingClientRect();
    s = clampScale(Math.min(most, (r.width - 40) / w, (r.height - 40) / h));
    tx = (r.width - w * s) / 2 - x * s;
    ty = (r.height - h * s) / 2 - y * s;
    apply();
  }
  function fitAll() { fitBox(0, 0, W, H, 1.2); }
  // Fits the view to these nodes (numbers, or element ids such as "x3" for proxies).
  function fitNodes(list) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    list.forEach(function (i) {
      const n = document.getElementById(typeof i === "number" ? "n" + i : i);
      if (!n) return;
      const [x, y, w, h] = box(n);
      x0 = Math.min(x0, x); y0 = Math.min(y0, y - 20);
      x1 = Math.max(x1, x + w); y1 = Math.max(y1, y + h);
    });
    if (x1 > x0) fitBox(x0, y0, x1 - x0, y1 - y0, 1);
  }
  function box(n) {
    const d = n.dataset;
    return [parseFloat(d.x), parseFloat(d.y), parseFloat(d.w), parseFloat(d.h)];
  }
  function centreOn(n) {
    const [x, y, w, h] = box(n);
    const r = svg.getBoundingClientRect();
    s = Math.max(s, 0.9);
    tx = r.width / 2 - (x + w / 2) * s;
    ty = r.height / 2 - (y + h / 2) * s;
    apply();
  }
  function home() {
    const start = document.getElementById("n" + START);
    if (!start) { fitAll(); return; }
    const r = svg.getBoundingClientRect();
    const [x, y, , h] = box(start);
    const fitsHeight = (r.height - 40) / H;
    s = clampScale(Math.max(0.6, Math.min(1, fitsHeight)));
    tx = 30 - x * s;
    ty = Math.min(r.height / 2 - (y + h / 2) * s, 20);
    if (H * s < r.height) ty = (r.height - H * s) / 2;
    apply();
  }

  // Side panel
  const panels = document.querySelectorAll("#panel section");
  function show(i) {
    panels.forEach(function (p) { p.hidden = p.id !== "p" + i; });
    nodes.forEach(function (n) { n.classList.toggle("sel", n.dataset.n === String(i)); });
    document.getElementById("panel").scrollTop = 0;
  }
  document.getElementById("panel").addEventListener("click", function (e) {
    const a = e.target.closest("a[data-go]");
    if (!a) return;
    e.preventDefault();
    const n = document.getElementById("n" + a.dataset.go);
    if (n) { centreOn(n); show(a.dataset.go); }
  });

  // Pan, zoom, click
  let drag = null;
  svg.addEventListener("pointerdown", function (e) {
    drag = { x: e.clientX, y: e.clientY, tx: tx, ty: ty, moved: false };
    svg.setPointerCapture(e.pointerId);
  });
  svg.addEventListener("pointermove", function (e) {
    if (!drag) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) { drag.moved = true; svg.classList.add("panning"); }
    tx = drag.tx + dx; ty = drag.ty + dy;
    if (drag.moved) apply();
  });
  svg.addEventListener("pointerup", function (e) {
    const d = drag;
    drag = null;
    svg.classList.remove("panning");
    if (!d || d.moved) return;
    const hit = document.elementFromPoint(e.clientX, e.clientY);
    const n = hit && hit.closest ? hit.closest("#nodes .node") : null;  // a proxy opens its ending
    if (n) show(n.dataset.n); else show("sum");
  });
  svg.addEventListener("wheel", function (e) {
    e.preventDefault();
    const r = svg.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  nodes.forEach(function (n) {
    n.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); show(n.dataset.n); }
    });
  });
  function mid() { const r = svg.getBoundingClientRect(); return [r.width / 2, r.height / 2]; }
  document.getElementById("zin").onclick = function () { const [x, y] = mid(); zoomAt(1.25, x, y); };
  document.getElementById("zout").onclick = function () { const [x, y] = mid(); zoomAt(0.8, x, y); };
  document.getElementById("fit").onclick = fitAll;
  document.getElementById("home").onclick = home;
  mini.addEventListener("click", function (e) {
    const r = mini.getBoundingClientRect();
    const k = Math.min(r.width / W, r.height / H);
    const ox = (r.width - W * k) / 2, oy = (r.height - H * k) / 2;
    const wx = (e.clientX - r.left - ox) / k, wy = (e.clientY - r.top - oy) / k;
    const v = svg.getBoundingClientRect();
    tx = v.width / 2 - wx * s;
    ty = v.height / 2 - wy * s;
    apply();
  });

  // Search: a node's own words (its id, title, lines, options, triggers), not the names of
  // the other nodes its panel links to.
  const search = document.getElementById("search");
  const hitsLabel = document.getElementById("hits");
  let hits = [], at = -1;
  function ownText(el) {
    if (!el) return "";
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let out = "";
    for (let t = walk.nextNode(); t; t = walk.nextNode()) {
      if (!t.parentElement.closest("a")) out += t.nodeValue + " ";
    }
    return out;
  }
  const text = nodes.map(function (n) {
    return (n.textContent + " " + ownText(document.getElementById("p" + n.dataset.n))).toLowerCase();
  });
  search.addEventListener("input", function () {
    const q = search.value.trim().toLowerCase();
    hits = [];
    at = -1;
    nodes.forEach(function (n, i) {
      const hit = q !== "" && text[i].indexOf(q) >= 0;
      n.classList.toggle("hit", hit);
      if (hit) hits.push(n);
    });
    svg.classList.toggle("searching", q !== "");
    hitsLabel.textContent = q === "" ? "" : hits.length + " found";
  });
  search.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || hits.length === 0) return;
    at = (at + 1) % hits.length;
    centreOn(hits[at]);
    show(hits[at].dataset.n);
    hitsLabel.textContent = (at + 1) + " of " + hits.length;
  });

  // Routes and the record
  const route = document.getElementById("route");
  route.addEventListener("change", function () {
    document.querySelectorAll("#svg .on").forEach(function (x) { x.classList.remove("on"); });
    const r = ROUTES[route.value];
    svg.classList.toggle("routing", !!r);
    if (!r) return;
    r.n.forEach(function (i) { const n = document.getElementById("n" + i); if (n) n.classList.add("on"); });
    r.x.forEach(function (i) { const x = document.getElementById("x" + i); if (x) x.classList.add("on"); });
    r.l.forEach(function (i) {
      const l = document.getElementById("l" + i);
      if (l) l.classList.add("on");
      document.querySelectorAll('.lbl[data-l="' + i + '"]').forEach(function (x) { x.classList.add("on"); });
    });
    show(r.e);
    // An ending reached through its small copy is far to the right: fit the copy instead.
    const ns = r.x.length ? r.n.filter(function (i) { return i !== r.e; }) : r.n;
    fitNodes(ns.concat(r.x.map(function (i) { return "x" + i; })));
  });
  const rec = document.getElementById("showrec");
  if (rec) rec.addEventListener("change", function () { svg.classList.toggle("showrec", rec.checked); });

  window.addEventListener("resize", apply);
  // The address can ask for a view: #fit, #route=N, #show=N, #search=WORDS (joined by &).
  home();
  location.hash.slice(1).split("&").forEach(function (part) {
    const kv = part.split("=");
    const v = decodeURIComponent(kv[1] || "");
    if (kv[0] === "fit") fitAll();
    if (kv[0] === "route" && ROUTES[v]) { route.value = v; route.dispatchEvent(new Event("change")); }
    if (kv[0] === "show") { const n = document.getElementById("n" + v); if (n) { centreOn(n); show(v); } }
    if (kv[0] === "search") { search.value = v; search.dispatchEvent(new Event("input")); }
  });
})();
