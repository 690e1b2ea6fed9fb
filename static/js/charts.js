// Legday's interactive charts, drawn with uPlot (static/vendor/uPlot.iife.min.js, from npm).
//
// No inline script: each chart is an element with data-chart="activity" or data-chart="load"
// and data-source="<id>", the id of a <script type="application/json"> element holding the data
// that webapp/chart_data.py made. Whatever the element holds before (an SVG fallback) stays
// until uPlot has drawn. Charts are set up on load and again after every HTMX swap.
(function () {
  "use strict";

  const GREEN = "#1f5f4a";
  const COLOURS = { elevation: "#7a5c2e", pace: GREEN, speed: GREEN, hr: "#a3122a" };

  function readJSON(el) {
    const source = document.getElementById(el.dataset.source || "");
    if (!source) return null;
    try { return JSON.parse(source.textContent); } catch (e) { return null; }
  }

  function clock(seconds) {
    if (seconds == null || !isFinite(seconds)) return "—";
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    const pad = (n) => (n < 10 ? "0" : "") + n;
    return h ? h + ":" + pad(m) + ":" + pad(r) : m + ":" + pad(r);
  }

  function formatValue(line, v) {
    if (v == null) return "—";
    if (line.key === "pace") return clock(v) + " " + line.unit;
    if (line.key === "speed") return v.toFixed(1) + " " + line.unit;
    return Math.round(v).toLocaleString() + " " + line.unit;
  }

  const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  // "Tue 24 Nov 2026", as the rest of Legday writes a day (webapp/units.py format_day). The
  // points sit at noon UTC, so the local day is the same one anywhere within 12 h of UTC.
  function dayOf(seconds, withYear) {
    const d = new Date(seconds * 1000);
    return DAYS[d.getDay()] + " " + d.getDate() + " " + MONTHS[d.getMonth()] +
      (withYear ? " " + d.getFullYear() : "");
  }

  // A y range with room around the line, at least `least` wide (a steady pace is not a spike).
  function padded(least) {
    return function (u, lo, hi) {
      if (lo == null || hi == null) return [0, 1];
      const pad = Math.max((hi - lo) * 0.1, (least - (hi - lo)) / 2, 0);
      return [lo - pad, hi + pad];
    };
  }

  // A y axis as wide as its widest label ("12:30", "1,250"), so that none is cut at the
  // left edge on a phone (uPlot's `size` hook; its labels are drawn right-aligned). At least
  // `least` px, so that the activity's stacked charts keep their x axes in line.
  function axisSize(least) {
    return function (u, values, axisIdx, cycleNum) {
      const axis = u.axes[axisIdx];
      if (cycleNum > 1 && axis._size) return axis._size; // settled: no re-measuring loop
      let widest = 0;
      u.ctx.font = axis.font[0];
      (values || []).forEach(function (label) {
        widest = Math.max(widest, u.ctx.measureText(String(label)).width);
      });
      const ratio = window.devicePixelRatio || 1;
      return Math.max(least, Math.ceil(widest / ratio + axis.ticks.size + axis.gap + 4));
    };
  }

  function yLabel(key, t) {
    if (key === "pace") return clock(t);
    if (key === "speed") return String(Math.round(t * 10) / 10);
    return Math.round(t).toLocaleString();
  }

  function widthOf(el) {
    return Math.max(200, Math.floor(el.getBoundingClientRect().width || el.clientWidth || 320));
  }

  // Arrow keys move the reading along the x axis (Shift: ten points at a time).
  function keyboard(el, count, move) {
    el.addEventListener("keydown", function (event) {
      const step = event.shiftKey ? 10 : 1;
      const moves = { ArrowRight: step, ArrowLeft: -step, Home: -count, End: count };
      if (!(event.key in moves)) return;
      event.preventDefault();
      move(moves[event.key]);
    });
  }

  // A tap (touch) reads the point under the finger; mice move the cursor on their own.
  function touchReads(plot) {
    function read(event) {
      const touch = event.touches && event.touches[0];
      if (!touch) return;
      const box = plot.over.getBoundingClientRect();
      plot.setCursor({ left: touch.clientX - box.left, top: touch.clientY - box.top });
    }
    plot.over.addEventListener("touchstart", read, { passive: true });
    plot.over.addEventListener("touchmove", read, { passive: true });
  }

  // --- the activity: elevation, pace and heart rate over distance, one small chart each ---

  function activityChart(el, data) {
    const readout = el.querySelector("[data-readout]");
    const plots = el.querySelector("[data-plots]");
    const xUnit = data.x_unit;
    const syncKey = "activity-" + (el.dataset.source || "");
    let current = null;

    function describe(idx) {
      if (idx == null || idx < 0) return;
      current = idx;
      const at = xUnit === "min" ? data.x[idx].toFixed(1) + " min" : data.x[idx].toFixed(2) + " " + xUnit;
      readout.textContent = at + ": " + data.series
        .map((line) => line.label + " " + formatValue(line, line.values[idx]))
        .join(", ");
    }

    const made = data.series.map(function (line) {
      const box = document.createElement("div");
      box.className = "chart-plot";
      const title = document.createElement("p");
      title.className = "chart-title";
      title.textContent = line.label + " (" + line.unit.replace(/^\//, "per ") + ")" +
        (line.key === "pace" ? ", faster is higher" : "");
      box.appendChild(title);
      plots.appendChild(box);
      const opts = {
        width: widthOf(plots),
        height: 130,
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, sync: { key: syncKey }, points: { size: 8 } },
        scales: {
          x: { time: false },
          y: line.key === "pace" ? { dir: -1, range: padded(60) } : { range: padded(10) },
        },
        axes: [
          { stroke: "#4f5b57", grid: { stroke: "#e3e7e5" }, size: 30,
            values: (u, ticks) => ticks.map((t, i) => (i === 0 ? t + " " + xUnit : String(t))) },
          { stroke: "#4f5b57", grid: { stroke: "#e3e7e5" }, size: axisSize(52),
            values: (u, ticks) => ticks.map((t) => yLabel(line.key, t)) },
        ],
        series: [
          {},
          { stroke: COLOURS[line.key] || GREEN, width: 2, spanGaps: true,
            fill: line.key === "elevation" ? "rgba(122, 92, 46, 0.15)" : undefined },
        ],
        hooks: { setCursor: [(u) => describe(u.cursor.idx)] },
      };
      const plot = new uPlot(opts, [data.x, line.values], box);
      touchReads(plot);
      return plot;
    });

    keyboard(el, data.x.length, function (delta) {
      const idx = Math.min(data.x.length - 1, Math.max(0, (current == null ? -1 : current) + delta));
      const first = made[0];
      first.setCursor({ left: first.valToPos(data.x[idx], "x"), top: 10 });
      describe(idx);
    });
    return function resize() {
      made.forEach((plot) => plot.setSize({ width: widthOf(plots), height: 130 }));
    };
  }

  // --- the week: one muscle's acute (last 7 days) against chronic (last 6 weeks) load ---

  function loadChart(el, data) {
    const readout = el.querySelector("[data-readout]");
    const holder = el.querySelector("[data-plots]");
    const select = el.querySelector("select");
    const controls = el.querySelector("[data-controls]");
    const xs = data.days.map((d) => Date.parse(d + "T12:00:00Z") / 1000);
    let muscle = data.muscles[0];
    let plot = null;
    let current = null;

    function describe(idx) {
      if (idx == null || idx < 0) return;
      current = idx;
      readout.textContent = muscle.label + ", " + dayOf(xs[idx], true) + ": last 7 days " +
        Math.round(muscle.acute[idx] || 0) + ", 6-week average " + Math.round(muscle.chronic[idx] || 0) + " per week";
    }

    function draw() {
      if (plot) plot.destroy();
      plot = new uPlot({
        width: widthOf(holder),
        height: 200,
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { size: 8 } },
        scales: { x: { time: true }, y: { range: (u, lo, hi) => [0, Math.max(10, hi * 1.1)] } },
        axes: [
          { stroke: "#4f5b57", grid: { stroke: "#e3e7e5" }, space: 70,
            values: (u, ticks) => ticks.map((t) => dayOf(t, false).slice(4)) },
          { stroke: "#4f5b57", grid: { stroke: "#e3e7e5" }, size: axisSize(42),
            values: (u, ticks) => ticks.map((t) => yLabel("load", t)) },
        ],
        series: [
          {},
          { label: "Last 7 days", stroke: GREEN, width: 2.5, fill: "rgba(31, 95, 74, 0.12)" },
          { label: "6-week average", stroke: "#4f5b57", width: 2, dash: [6, 4] },
        ],
        hooks: { setCursor: [(u) => describe(u.cursor.idx)] },
      }, [xs, muscle.acute, muscle.chronic], holder);
      touchReads(plot);
      describe(current == null ? xs.length - 1 : current);
    }

    if (select) {
      select.addEventListener("change", function () {
        muscle = data.muscles.find((m) => m.key === select.value) || data.muscles[0];
        draw();
      });
      muscle = data.muscles.find((m) => m.key === select.value) || muscle;
    }
    if (controls) controls.hidden = false;
    draw();
    keyboard(el, xs.length, function (delta) {
      const idx = Math.min(xs.length - 1, Math.max(0, (current == null ? xs.length : current) + delta));
      plot.setCursor({ left: plot.valToPos(xs[idx], "x"), top: 10 });
      describe(idx);
    });
    return function resize() { plot.setSize({ width: widthOf(holder), height: 200 }); };
  }

  const KINDS = { activity: activityChart, load: loadChart };

  function setUp(el) {
    if (!window.uPlot) return false;
    const draw = KINDS[el.dataset.chart];
    const data = readJSON(el);
    if (!draw || !data) return;
    el.classList.add("chart-drawn"); // hides the SVG fallback (see journey.css)
    resizers.set(el, draw(el, data));
  }

  // Resize to the new width when the phone turns (uPlot draws at a fixed size).
  // Shared by every copy of this script that a boosted navigation runs again.
  const state = window.legdayCharts || (window.legdayCharts = { resizers: new Map(), listening: false });
  const resizers = state.resizers;
  let resizeTimer = null;
  let lastWidth = window.innerWidth;
  function resizeAll() {
    if (window.innerWidth === lastWidth) return;
    lastWidth = window.innerWidth;
    resizers.forEach(function (resize, el) {
      if (el.isConnected) resize();
      else resizers.delete(el);
    });
  }

  window.legdayEnhance("charts", "[data-chart]", setUp);
  if (!state.listening) {
    state.listening = true;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(resizeAll, 250);
    });
  }
})();
