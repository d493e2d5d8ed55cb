/**
 * The script of a project page (plain browser JavaScript, no build step): reads the embedded data,
 * applies the filters (dimensions, percentile, date range, compact pickers) in the browser and draws
 * each chart with its data already in the spec, so vega lays out axes and legend for the values shown
 * (a chart laid out empty and fed later keeps the layout of no data until the window is resized).
 * `window.opmon` exposes what is plotted, and `rendered`, a promise of the charts being drawn, for tests
 * and curious users.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("opmon-data").textContent);
  var rows = D.rows.map(function (r) {
    var o = {};
    D.columns.forEach(function (c, i) { o[c] = r[i]; });
    return o;
  });
  // state.dims[name]: the value shown, or null for every value (a line each)
  var state = { dims: {}, groupBy: {}, percentile: D.defaultPercentile, from: D.minDay, to: D.maxDay, metric: null, statistic: null, alertMetrics: null, compare: "" };
  D.dimensions.forEach(function (d) {
    if (d.name === D.groupBy) d.options.forEach(function (o) { state.groupBy[o] = true; });
    else state.dims[d.name] = d.default;
  });
  if (D.compact && D.summaries.length) { state.metric = D.summaries[0].metric; state.statistic = D.summaries[0].statistic; }

  function dayOf(r) { return r.x.slice(0, 10); }
  function inRange(r) { return (!state.from || dayOf(r) >= state.from) && (!state.to || dayOf(r) <= state.to); }
  function dimsMatch(r, nullPasses) {
    for (var i = 0; i < D.dimensions.length; i++) {
      var d = D.dimensions[i], v = r[d.name];
      if (v === null || v === undefined) { if (nullPasses) continue; return false; }
      if (d.name === D.groupBy) { if (!state.groupBy[v]) return false; }
      else if (state.dims[d.name] !== null && v !== state.dims[d.name]) return false;
    }
    return true;
  }
  function percentileMatch(r, statistic) {
    return statistic !== "percentile" || r.parameter === null || r.parameter === undefined || r.parameter === state.percentile;
  }
  /** The dimensions that get a line per value: the tile's group-by, and any filter set to all values. */
  function expanded(tile) {
    return D.dimensions.filter(function (d) { return d.name === tile.byDimension || (d.name !== D.groupBy && state.dims[d.name] === null); });
  }
  function showBranch(tile) { return D.branches.length > 1 || (!tile.group && expanded(tile).length === 0); }
  function seriesOf(tile, r) {
    var parts = [];
    if (tile.group) parts.push(r.metric);
    if (showBranch(tile)) parts.push(r.branch);
    expanded(tile).forEach(function (d) { parts.push(r[d.name]); });
    // an alert may name no branch or no dimension value
    return parts.filter(function (p) { return p !== null && p !== undefined; }).join(" · ");
  }
  /** Every series the tile could draw, in a fixed order: a series keeps its colour whatever else is shown. */
  function seriesOrder(tile) {
    var names = [[]];
    function times(values) {
      var next = [];
      names.forEach(function (n) { values.forEach(function (v) { next.push(n.concat([v])); }); });
      names = next;
    }
    if (tile.group) times(target(tile).metrics);
    if (showBranch(tile)) times(D.branches);
    expanded(tile).forEach(function (d) { times(d.options); });
    return names.map(function (n) { return n.join(" · "); });
  }
  function target(tile) {
    return D.compact ? { metrics: [state.metric], statistic: state.statistic } : { metrics: tile.metrics, statistic: tile.statistic };
  }
  function bounded(r) {
    return !r.comparison && D.nonNegative.indexOf(r.metric + "|" + r.statistic) >= 0;
  }
  function tileRows(tile) {
    var t = target(tile);
    return rows.filter(function (r) {
      return t.metrics.indexOf(r.metric) >= 0 && r.statistic === t.statistic && (r.comparison || "") === state.compare &&
        dimsMatch(r, false) && percentileMatch(r, t.statistic) && inRange(r);
    }).map(function (r) {
      // the band stops at the statistic's natural bound; the stored value stays in the tooltip
      var clip = bounded(r) && r.lower !== null && r.lower < 0;
      var notes = [];
      if (clip) notes.push("lower bound drawn at 0 (stored " + r.lower.toPrecision(3) + "): this statistic cannot be negative");
      if (r.too_few_clients) notes.push("too few clients for an interval");
      return {
        x: r.x, series: seriesOf(tile, r), point: r.point, lower: clip ? 0 : r.lower, upper: r.upper,
        clients: r.clients === undefined ? null : r.clients, note: notes.join("; ")
      };
    }).sort(function (a, b) { return a.x < b.x ? -1 : a.x > b.x ? 1 : 0; });
  }
  function alertsOf(tile) {
    var t = target(tile);
    return D.alerts.filter(function (a) {
      return t.metrics.indexOf(a.metric) >= 0 && (a.statistic === null || a.statistic === t.statistic) && inRange(a);
    });
  }
  function tileAlerts(tile) {
    var t = target(tile);
    return alertsOf(tile).filter(function (a) { return dimsMatch(a, true) && percentileMatch(a, t.statistic); })
      .map(function (a) { return { x: a.x, message: a.message, series: seriesOf(tile, a) }; });
  }

  /** The tile's spec with its data inlined and its colours for the series present. */
  function specFor(tile, data, alerts) {
    var spec = JSON.parse(JSON.stringify(D.specs[tile.id]));
    var order = seriesOrder(tile), present = {};
    data.forEach(function (r) { present[r.series] = true; });
    var domain = order.filter(function (s) { return present[s]; });
    var range = domain.map(function (s) { return D.colours[order.indexOf(s) % D.colours.length]; });
    spec.layer.forEach(function (layer) {
      if (layer.encoding && layer.encoding.color) layer.encoding.color.scale = { domain: domain, range: range };
    });
    if (state.compare) {
      // a branch against the reference: the line at 0 is "no difference"
      var relative = state.compare === "relative_difference";
      spec.layer[1].encoding.y.title = (relative ? "relative diff." : "difference") + " vs " + D.referenceBranch;
      if (relative) spec.config.axisY.format = "+.0%";
      spec.layer.push({ data: { values: [{ zero: 0 }] }, mark: { type: "rule", color: "#5b6575", strokeDash: [2, 2] }, encoding: { y: { field: "zero", type: "quantitative" } } });
    }
    spec.datasets = { rows: data, alerts: state.compare ? [] : alerts };
    return spec;
  }

  var views = {}, drawing = {};
  window.opmon = { plotted: {}, alerts: {}, state: state, ready: null, rendered: null };
  function draw(tile, data, alerts) {
    var previous = drawing[tile.id] || Promise.resolve();
    drawing[tile.id] = previous.then(function () {
      if (views[tile.id]) { views[tile.id].finalize(); delete views[tile.id]; }
      var el = document.querySelector("#" + tile.id + " .chart");
      el.innerHTML = "";
      if (!data.length) return;
      return vegaEmbed(el, specFor(tile, data, alerts), { actions: false, renderer: "svg" }).then(function (result) {
        views[tile.id] = result.view;
      });
    });
    return drawing[tile.id];
  }
  function badge(tile) {
    var el = document.querySelector("#" + tile.id + " .alert-badge");
    if (!el) return;
    var all = alertsOf(tile).length, shown = window.opmon.alerts[tile.id].length;
    el.hidden = all === 0;
    el.textContent = "⚠ " + all + (all === 1 ? " alert" : " alerts");
    el.title = shown === all ? "Marked on the chart; open the alerts table" : shown + " of them under these filters (marked on the chart); open the alerts table for all";
  }
  function update() {
    var drawn = D.tiles.map(function (tile) {
      var data = tileRows(tile), alerts = tileAlerts(tile);
      window.opmon.plotted[tile.id] = data;
      window.opmon.alerts[tile.id] = alerts;
      badge(tile);
      var empty = document.querySelector("#" + tile.id + " .empty");
      if (empty) empty.hidden = data.length > 0;
      var title = document.querySelector("#" + tile.id + " .tile-title");
      if (D.compact && title) {
        var label = D.labels[state.metric] || state.metric;
        title.textContent = label + " · " + state.statistic;
        var about = document.querySelector("#" + tile.id + " .description");
        if (about) about.textContent = D.descriptions[state.metric] || "";
        var note = document.querySelector("#" + tile.id + " .note");
        if (note) note.textContent = D.notes[state.metric + "|" + state.statistic] || "";
      }
      return draw(tile, data, alerts);
    });
    window.opmon.rendered = Promise.all(drawn).then(function () { return true; });
    filterAlertsTable();
    return window.opmon.rendered;
  }
  function filterAlertsTable() {
    var shown = 0;
    document.querySelectorAll("#alerts tbody tr").forEach(function (tr) {
      var day = tr.getAttribute("data-day");
      var visible = (!state.from || day >= state.from) && (!state.to || day <= state.to) &&
        (!state.alertMetrics || state.alertMetrics.indexOf(tr.getAttribute("data-metric")) >= 0);
      tr.hidden = !visible;
      if (visible) shown++;
    });
    var none = document.getElementById("alerts-none");
    if (none) none.hidden = shown > 0;
    var only = document.getElementById("alerts-only");
    if (only) {
      only.hidden = !state.alertMetrics;
      var which = document.getElementById("alerts-only-metrics");
      if (which) which.textContent = state.alertMetrics ? state.alertMetrics.join(", ") : "";
    }
  }

  function on(id, event, fn) { var el = document.getElementById(id); if (el) el.addEventListener(event, fn); }
  D.dimensions.forEach(function (d) {
    if (d.name === D.groupBy) {
      document.querySelectorAll('input[data-group-by]').forEach(function (box) {
        box.addEventListener("change", function () { state.groupBy[box.value] = box.checked; update(); });
      });
    } else {
      // option values are indices into the dimension's values; -1 is every value
      on("filter-" + d.name, "change", function (e) {
        var i = Number(e.target.value);
        state.dims[d.name] = i < 0 ? null : d.options[i];
        update();
      });
    }
  });
  D.tiles.forEach(function (tile) {
    var link = document.querySelector("#" + tile.id + " .alert-badge");
    if (link) link.addEventListener("click", function () { state.alertMetrics = target(tile).metrics; filterAlertsTable(); });
  });
  on("alerts-show-all", "click", function () { state.alertMetrics = null; filterAlertsTable(); });
  on("filter-compare", "change", function (e) { state.compare = e.target.value; update(); });
  on("filter-percentile", "change", function (e) { state.percentile = Number(e.target.value); update(); });
  on("filter-from", "change", function (e) { state.from = e.target.value; update(); });
  on("filter-to", "change", function (e) { state.to = e.target.value; update(); });
  var statPicker = document.getElementById("pick-statistic");
  function fillStatistics() {
    if (!statPicker) return;
    var stats = D.summaries.filter(function (s) { return s.metric === state.metric; }).map(function (s) { return s.statistic; });
    if (stats.indexOf(state.statistic) < 0) state.statistic = stats[0];
    statPicker.innerHTML = "";
    stats.forEach(function (s) { var o = document.createElement("option"); o.value = s; o.textContent = s; o.selected = s === state.statistic; statPicker.appendChild(o); });
  }
  on("pick-metric", "change", function (e) { state.metric = e.target.value; fillStatistics(); update(); });
  on("pick-statistic", "change", function (e) { state.statistic = e.target.value; update(); });
  fillStatistics();

  window.opmon.ready = update();
})();
`;
