// Moves the page over the precomputed points: every number shown comes from the embedded data,
// which negsim computed; nothing is solved here. The markup mirrors negsim/classroom/report.py.
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("negsim-data").textContent);
  const shape = D.shape;
  const n = shape.length;
  const cells = shape.reduce((a, b) => a * b, 1);
  const sliders = D.sliders;
  const index = sliders.map((s) => s.baseIndex);

  // Three decimals at most, half away from zero (toFixed), trailing zeros dropped.
  function formatNumber(x) {
    let text = Number(x).toFixed(3);
    if (text.indexOf(".") >= 0) text = text.replace(/0+$/, "").replace(/\.$/, "");
    return text === "-0" || text === "" ? "0" : text;
  }
  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  }
  function flatIndex(profile) {
    let k = 0;
    for (let i = 0; i < n; i++) k = k * shape[i] + profile[i];
    return k;
  }
  function blocks(probabilities) {
    const out = [];
    let at = 0;
    for (const m of shape) { out.push(probabilities.slice(at, at + m)); at += m; }
    return out;
  }
  function pureProfile(probabilities) {
    const profile = [];
    for (const block of blocks(probabilities)) {
      const played = [];
      block.forEach((p, k) => { if (p > 0) played.push(k); });
      if (played.length !== 1) return null;
      profile.push(played[0]);
    }
    return profile;
  }
  function product(lists) {
    let out = [[]];
    for (const list of lists) out = out.flatMap((head) => list.map((x) => head.concat([x])));
    return out;
  }
  function range(m) { return Array.from({ length: m }, (_, k) => k); }

  function matrixHtml(point) {
    const players = D.players, strategies = D.strategies;
    const payoffs = D.points.payoffs[point], best = D.points.best[point];
    const pure = new Set();
    for (const [probabilities] of D.points.equilibria[point]) {
      const profile = pureProfile(probabilities);
      if (profile !== null) pure.add(flatIndex(profile));
    }
    const rows = shape[0], cols = n > 1 ? shape[1] : 1;
    const rest = range(n).slice(2);
    let out = "";
    for (const fixed of product(rest.map((j) => range(shape[j])))) {
      const caption = rest.map((j, t) => `${players[j].name}: ${strategies[j][fixed[t]].name}`).join(", ");
      out += '<table class="matrix">';
      if (caption) out += `<caption>${esc(caption)}</caption>`;
      const colHead = n > 1 ? strategies[1].map((s) => `<th scope="col" class="p1">${esc(s.name)}</th>`)
        : ['<th scope="col">payoff</th>'];
      const corner = n > 1 ? `${esc(players[0].name)} \\ ${esc(players[1].name)}` : esc(players[0].name);
      out += `<thead><tr><th class="corner">${corner}</th>${colHead.join("")}</tr></thead><tbody>`;
      for (let r = 0; r < rows; r++) {
        out += `<tr><th scope="row" class="p0">${esc(strategies[0][r].name)}</th>`;
        for (let c = 0; c < cols; c++) {
          const flat = flatIndex(n > 1 ? [r, c].concat(fixed) : [r]);
          if (D.infeasible && D.infeasible[flat] === "1") {
            out += '<td class="infeasible">infeasible</td>';
            continue;
          }
          const spans = [];
          for (let i = 0; i < n; i++) {
            const cls = `pay p${Math.min(i, 2)}` + (best[i * cells + flat] === "1" ? " best" : "");
            spans.push(`<span class="${cls}">${formatNumber(payoffs[i * cells + flat])}</span>`);
          }
          out += `<td${pure.has(flat) ? ' class="eq"' : ""}>${spans.join(", ")}</td>`;
        }
        out += "</tr>";
      }
      out += "</tbody></table>";
    }
    return out;
  }

  function equilibriaHtml(point) {
    const players = D.players, strategies = D.strategies;
    const found = D.points.equilibria[point];
    let out = "";
    if (D.points.degenerate[point] === "1") {
      out += '<p class="note">This game is degenerate here: equilibria may form connected ' +
        "sets; the extreme equilibria are listed.</p>";
    }
    if (found.length === 0) out += '<p class="note">negsim found no equilibrium at this point.</p>';
    out += '<ol class="equilibria">';
    for (const [probabilities, values] of found) {
      let pure = true;
      const parts = blocks(probabilities).map((block, i) => {
        const played = [];
        block.forEach((p, k) => { if (p > 0) played.push([k, p]); });
        pure = pure && played.length === 1;
        const mix = played.map(([k, p]) =>
          esc(strategies[i][k].name) + (played.length === 1 ? "" : ` ${formatNumber(p)}`)).join(", ");
        return `<span class="p${Math.min(i, 2)}">${esc(players[i].name)}</span>: ${mix}`;
      });
      const payoffText = values.map((v, i) => `${esc(players[i].name)} ${formatNumber(v)}`).join(", ");
      const kind = pure ? "pure" : "mixed";
      out += `<li class="equilibrium" data-kind="${kind}" data-profile="${esc(JSON.stringify(probabilities))}" ` +
        `data-payoffs="${esc(JSON.stringify(values))}">` +
        `<span class="kind">${kind}</span> ${parts.join("; ")}. ` +
        `<span class="payoffs">Payoffs: ${payoffText}</span></li>`;
    }
    return out + "</ol>";
  }

  function values() {
    const out = Object.assign({}, D.base);
    sliders.forEach((s, k) => { out[s.name] = s.values[index[k]]; });
    return out;
  }

  function pointHtml(at) {
    const moved = sliders.filter((s) => at[s.name] !== D.base[s.name]).map((s) =>
      `${esc(s.name)} = ${formatNumber(at[s.name])} (base ${formatNumber(D.base[s.name])})`);
    if (moved.length === 0) return "the base point (every parameter at its base value)";
    return moved.join("; ") + "; every other parameter at its base value";
  }

  // As SweepPlan.index: a line slider away from base names a point of its line; otherwise the
  // joint sliders name a point of the full grid (row-major, in parameter order).
  function pointIndex() {
    for (let k = 0; k < sliders.length; k++) {
      const s = sliders[k];
      if (!s.joint && index[k] !== s.baseIndex) return s.offset + index[k];
    }
    let g = 0;
    sliders.forEach((s, k) => { if (s.joint) g = g * s.values.length + index[k]; });
    return g;
  }

  function show() {
    const point = pointIndex();
    const at = values();
    sliders.forEach((s, k) => {
      const input = document.getElementById(`slider-${s.name}`);
      input.value = String(index[k]);
      document.getElementById(`value-${s.name}`).textContent = formatNumber(s.values[index[k]]);
      input.parentElement.classList.toggle("moved", index[k] !== s.baseIndex);
    });
    document.getElementById("point").innerHTML = pointHtml(at);
    document.getElementById("point").dataset.values = JSON.stringify(at);
    document.getElementById("point").dataset.index = String(point);
    document.getElementById("matrix").innerHTML = matrixHtml(point);
    document.getElementById("equilibria").innerHTML = equilibriaHtml(point);
  }

  sliders.forEach((s, k) => {
    document.getElementById(`slider-${s.name}`).addEventListener("input", (event) => {
      // A line slider moves alone: the others go back to base. A grid slider moves with the
      // other grid sliders, but puts any line slider back at base.
      sliders.forEach((other, j) => {
        if (j !== k && (!s.joint || !other.joint)) index[j] = other.baseIndex;
      });
      index[k] = Number(event.target.value);
      show();
    });
  });
  const reset = document.getElementById("reset");
  if (reset) reset.addEventListener("click", () => {
    sliders.forEach((s, k) => { index[k] = s.baseIndex; });
    show();
  });
  show();
  document.body.dataset.ready = "true";
})();
