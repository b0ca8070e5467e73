// Moves the page over the precomputed points: every number shown comes from the embedded data,
// which negsim computed; nothing is solved here. The markup mirrors the
// templates of negsim/render/report/ (parts.html).
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
  function pointIndex(at) {
    const idx = at || index;
    for (let k = 0; k < sliders.length; k++) {
      const s = sliders[k];
      if (!s.joint && idx[k] !== s.baseIndex) return s.offset + idx[k];
    }
    let g = 0;
    sliders.forEach((s, k) => { if (s.joint) g = g * s.values.length + idx[k]; });
    return g;
  }

  // -- the sweep chart: the points along the last-moved slider, through the point shown ------
  // Drawn as negsim's figure of a sweep along one parameter (equilibria.png): one band per
  // equilibrium outcome, its colour and name those the figure gives it (colours in order of
  // frequency along the line, from negsim's palette; names from the embedded figure names).
  const FIGURES = D.figures;
  const PALETTE = FIGURES.palette;
  const PLAYER_COLOURS = FIGURES.players;
  const MAX_BANDS = 14;
  let active = sliders.findIndex((s) => s.joint);
  if (active < 0) active = 0;

  function outcomeId(probabilities) {
    // As the sweep table's outcome column: "limited / keep", a mix's support joined by "+".
    return blocks(probabilities).map((block, i) =>
      block.map((p, k) => (p > 0 ? D.strategies[i][k].id : null)).filter((x) => x !== null).join("+")
    ).join(" / ");
  }

  function setLabel(point) {
    const found = D.points.equilibria[point];
    if (found.length === 0) return "no equilibrium found";
    return found.map(([probabilities]) => outcomeId(probabilities)).join(" | ");
  }

  function outcomeName(id) {
    return Object.prototype.hasOwnProperty.call(FIGURES.outcomes, id) ? FIGURES.outcomes[id] : id;
  }

  function slicePoints(k) {
    return sliders[k].values.map((_, v) => {
      const idx = sliders[k].joint ? index.slice() : sliders.map((s) => s.baseIndex);
      idx[k] = v;
      return pointIndex(idx);
    });
  }

  // The outcomes along the slice as the figure sees them: rows counted per equilibrium, the
  // values where each holds, the runs of neighbouring values.
  function outcomesAlong(points) {
    const seen = new Map();
    let row = 0;
    points.forEach((p, j) => {
      for (const [probabilities] of D.points.equilibria[p]) {
        const id = outcomeId(probabilities);
        if (!seen.has(id)) seen.set(id, { id: id, rows: 0, first: row, at: [] });
        const o = seen.get(id);
        o.rows += 1;
        if (o.at[o.at.length - 1] !== j) o.at.push(j);
        row += 1;
      }
    });
    const last = points.length - 1;
    for (const o of seen.values()) {
      o.runs = [];
      for (const j of o.at) {
        const run = o.runs[o.runs.length - 1];
        if (run && run[1] === j - 1) run[1] = j; else o.runs.push([j, j]);
      }
      // Found at single inner values of the grid only: exactly where two regimes meet, or over
      // a stretch narrower than the grid's step (the page cannot tell; negsim sweep can).
      o.single = o.runs.every(([a, b]) => a === b && a > 0 && b < last);
    }
    const byFrequency = [...seen.values()].sort((a, b) => b.rows - a.rows || a.first - b.first);
    byFrequency.forEach((o, k) => { o.colour = PALETTE[k % PALETTE.length]; });
    const bands = byFrequency.slice(0, MAX_BANDS);
    // First seen from the left reads best top to bottom.
    bands.sort((a, b) => a.runs[0][0] - b.runs[0][0] || a.runs[0][1] - b.runs[0][1]);
    return { bands: bands, more: byFrequency.length - bands.length };
  }

  function chartHtml() {
    if (sliders.length === 0) return "";
    const s = sliders[active];
    const points = slicePoints(active);
    const sets = points.map(setLabel);
    const { bands, more } = outcomesAlong(points);
    const W = 720, left = 48, right = 12, bandTop = 8, band = 16, gap = 4, bottom = 36;
    const top = bandTop + bands.length * (band + gap) + 18, H = top + 150 + bottom;
    const xs = s.values, xmin = xs[0], xmax = xs[xs.length - 1];
    const x = (v) => left + (xmax === xmin ? 0.5 : (v - xmin) / (xmax - xmin)) * (W - left - right);
    const ys = [];
    points.forEach((p) => D.points.equilibria[p].forEach(([, pay]) => pay.forEach((y) => ys.push(y))));
    let ymin = Math.min(...ys, 0), ymax = Math.max(...ys, 0);
    if (ymax === ymin) { ymax += 1; ymin -= 1; }
    const y = (v) => top + (ymax - v) / (ymax - ymin) * (H - top - bottom);
    let svg = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Equilibria along ${esc(s.name)}">`;
    // Bands: each outcome's runs of values, each value's cell reaching halfway to its
    // neighbours; a value found alone inside the line is a thin mark at that value.
    bands.forEach((o, r) => {
      for (const [first, last] of o.runs) {
        const thin = first === last && first > 0 && last < xs.length - 1;
        for (let j = first; j <= last; j++) {
          const v = xs[j];
          let a = j === 0 ? x(v) : (x(xs[j - 1]) + x(v)) / 2;
          let b = j === xs.length - 1 ? x(v) : (x(v) + x(xs[j + 1])) / 2;
          if (thin) { a = x(v) - 1.5; b = x(v) + 1.5; }
          svg += `<rect class="regime${thin ? " thin" : ""}" data-value="${v}" data-set="${esc(sets[j])}" ` +
            `data-outcome="${esc(o.id)}" x="${a.toFixed(1)}" y="${bandTop + r * (band + gap)}" ` +
            `width="${Math.max(b - a, 1).toFixed(1)}" height="${band}" fill="${o.colour}" shape-rendering="crispEdges"></rect>`;
        }
      }
    });
    svg += `<line x1="${left}" x2="${W - right}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" class="zero"></line>`;
    for (const t of [...new Set([ymin, 0, ymax])]) {
      svg += `<text x="${left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${formatNumber(t)}</text>`;
    }
    const ticks = xs.length <= 6 ? xs : [xs[0], xs[Math.floor(xs.length / 2)], xs[xs.length - 1]];
    for (const t of ticks) {
      svg += `<text x="${x(t).toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle">${formatNumber(t)}</text>`;
    }
    svg += `<text x="${(left + W - right) / 2}" y="${H - 4}" text-anchor="middle" class="axis">${esc(s.name)}</text>`;
    points.forEach((p, j) => {
      for (const [probabilities, pay] of D.points.equilibria[p]) {
        const pure = pureProfile(probabilities) !== null;
        pay.forEach((value, i) => {
          const c = PLAYER_COLOURS[i % PLAYER_COLOURS.length];
          svg += `<circle cx="${x(xs[j]).toFixed(1)}" cy="${y(value).toFixed(1)}" r="3.2" ` +
            `fill="${pure ? c : "white"}" stroke="${c}" stroke-width="1.4"></circle>`;
        });
      }
    });
    const now = x(xs[index[active]]);
    svg += `<line x1="${now.toFixed(1)}" x2="${now.toFixed(1)}" y1="${bandTop - 4}" y2="${H - bottom}" class="now"></line>`;
    svg += "</svg>";
    let legend = bands.map((o) =>
      `<li class="band${o.single ? " single" : ""}" data-outcome="${esc(o.id)}" data-colour="${o.colour}">` +
      `<span class="swatch" style="background:${o.colour}"></span>${esc(outcomeName(o.id))}` +
      `${o.single ? " (thin mark: at one value of the grid only)" : ""}</li>`).join("");
    if (bands.some((o) => o.single)) {
      legend += '<li class="note">A thin mark: found at one value of this grid only, either exactly ' +
        "where two regimes meet or over a stretch narrower than the grid's step " +
        "(<code>negsim sweep</code> tells which).</li>";
    }
    if (more > 0) legend += `<li class="note">${more} rarer outcomes not shown.</li>`;
    const players = D.players.map((p, i) =>
      `<span style="color:${PLAYER_COLOURS[i % PLAYER_COLOURS.length]}">&#9679; ${esc(p.name)}</span>`).join(" ");
    const order = D.players.map((p) => esc(p.name)).join(" / ");
    return `<p class="chart-title">Along <code>${esc(s.name)}</code>, the other parameters as shown ` +
      `(the line marks the point shown). Bands, top to bottom as listed: where each equilibrium ` +
      `(${order}) holds; several bands above one value mean several equilibria. Dots: each ` +
      `player's payoff in each equilibrium (${players}; filled pure, hollow mixed).</p>${svg}` +
      `<ul class="regimes">${legend}</ul>`;
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
    const chart = document.getElementById("chart");
    if (chart) {
      chart.innerHTML = chartHtml();
      chart.dataset.parameter = sliders.length ? sliders[active].name : "";
    }
  }

  sliders.forEach((s, k) => {
    document.getElementById(`slider-${s.name}`).addEventListener("input", (event) => {
      // A line slider moves alone: the others go back to base. A grid slider moves with the
      // other grid sliders, but puts any line slider back at base.
      sliders.forEach((other, j) => {
        if (j !== k && (!s.joint || !other.joint)) index[j] = other.baseIndex;
      });
      index[k] = Number(event.target.value);
      active = k;
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
