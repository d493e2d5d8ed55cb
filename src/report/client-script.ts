/**
 * The script of a project page (plain browser JavaScript, no build step): reads the embedded data,
 * applies the filters (dimensions, percentile, date range, compact pickers) in the browser and feeds
 * each chart's `rows` and `alerts` data. `window.opmon` exposes what is plotted, for tests and curious
 * users.
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
  var state = { dims: {}, groupBy: {}, percentile: D.defaultPercentile, from: D.minDay, to: D.maxDay, metric: null, statistic: null };
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
      else if (v !== state.dims[d.name]) return false;
    }
    return true;
  }
  function percentileMatch(r, statistic) {
    return statistic !== "percentile" || r.parameter === null || r.parameter === undefined || r.parameter === state.percentile;
  }
  function seriesOf(tile, r) {
    var showBranch = D.branches.length > 1 || (!tile.group && !tile.byDimension);
    var parts = [];
    if (tile.group) parts.push(r.metric);
    if (showBranch) parts.push(r.branch);
    if (tile.byDimension) parts.push(r[tile.byDimension]);
    return parts.join(" · ");
  }
  function target(tile) {
    return D.compact ? { metrics: [state.metric], statistic: state.statistic } : { metrics: tile.metrics, statistic: tile.statistic };
  }
  function tileRows(tile) {
    var t = target(tile);
    return rows.filter(function (r) {
      return t.metrics.indexOf(r.metric) >= 0 && r.statistic === t.statistic && dimsMatch(r, false) && percentileMatch(r, t.statistic) && inRange(r);
    }).map(function (r) {
      return { x: r.x, series: seriesOf(tile, r), point: r.point, lower: r.lower, upper: r.upper };
    }).sort(function (a, b) { return a.x < b.x ? -1 : a.x > b.x ? 1 : 0; });
  }
  function tileAlerts(tile) {
    var t = target(tile);
    return D.alerts.filter(function (a) {
      return t.metrics.indexOf(a.metric) >= 0 && (a.statistic === null || a.statistic === t.statistic) && dimsMatch(a, true) && percentileMatch(a, t.statistic) && inRange(a);
    }).map(function (a) { return { x: a.x, message: a.message, series: a.branch || "" }; });
  }

  var views = {};
  window.opmon = { plotted: {}, alerts: {}, state: state, ready: null };
  function update() {
    D.tiles.forEach(function (tile) {
      var data = tileRows(tile), alerts = tileAlerts(tile);
      window.opmon.plotted[tile.id] = data;
      window.opmon.alerts[tile.id] = alerts;
      var badge = document.querySelector("#" + tile.id + " .alert-badge");
      if (badge) { badge.textContent = alerts.length ? "⚠ " + alerts.length + (alerts.length === 1 ? " alert" : " alerts") : ""; }
      var empty = document.querySelector("#" + tile.id + " .empty");
      if (empty) empty.hidden = data.length > 0;
      var title = document.querySelector("#" + tile.id + " .tile-title");
      if (D.compact && title) title.textContent = state.metric + " · " + state.statistic;
      var view = views[tile.id];
      if (view) view.data("rows", data).data("alerts", alerts).run();
    });
    var shown = 0;
    document.querySelectorAll("#alerts tbody tr").forEach(function (tr) {
      var day = tr.getAttribute("data-day");
      var visible = (!state.from || day >= state.from) && (!state.to || day <= state.to);
      tr.hidden = !visible;
      if (visible) shown++;
    });
    var none = document.getElementById("alerts-none");
    if (none) none.hidden = shown > 0;
  }

  function on(id, event, fn) { var el = document.getElementById(id); if (el) el.addEventListener(event, fn); }
  D.dimensions.forEach(function (d) {
    if (d.name === D.groupBy) {
      document.querySelectorAll('input[data-group-by]').forEach(function (box) {
        box.addEventListener("change", function () { state.groupBy[box.value] = box.checked; update(); });
      });
    } else {
      on("filter-" + d.name, "change", function (e) { state.dims[d.name] = e.target.value; update(); });
    }
  });
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

  window.opmon.ready = Promise.all(D.tiles.map(function (tile) {
    return vegaEmbed("#" + tile.id + " .chart", D.specs[tile.id], { actions: false, renderer: "svg" }).then(function (result) {
      views[tile.id] = result.view;
    });
  })).then(function () { update(); return true; });
  update();
})();
`;
