/* e网清 dashboard (驾驶舱): draws the charts from the JSON the page embeds (#dashboard-data) with the vendored
   ECharts, colours the children's polygons by a chosen KPI, sorts the ranking table and drills down on click. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var dark = document.body.getAttribute("data-theme") === "dark";
  var textColor = dark ? "#d7e3f4" : "#333";
  var charts = [];

  function chart(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var c = echarts.init(el, dark ? "dark" : null);
    charts.push(c);
    return c;
  }

  function noData(c) {
    c.setOption({ title: { text: data.labels.no_data, left: "center", top: "middle",
      textStyle: { color: "#999", fontSize: 14, fontWeight: "normal" } } });
  }

  var base = { backgroundColor: "transparent", textStyle: { color: textColor } };

  // Trend: events reported and closed per day / week / month, with the closure rate on a second axis.
  var trend = chart("chart-trend");
  if (trend) {
    if (!data.trend.labels.length) { noData(trend); } else {
      trend.setOption(Object.assign({}, base, {
        tooltip: { trigger: "axis" },
        legend: { data: [data.labels.reported, data.labels.closed, data.labels.closure_rate], textStyle: { color: textColor } },
        grid: { left: 45, right: 50, top: 40, bottom: 30 },
        xAxis: { type: "category", data: data.trend.labels },
        yAxis: [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
        series: [
          { name: data.labels.reported, type: "bar", data: data.trend.events, itemStyle: { color: "#4e79a7" } },
          { name: data.labels.closed, type: "bar", data: data.trend.closed, itemStyle: { color: "#59a14f" } },
          { name: data.labels.closure_rate, type: "line", yAxisIndex: 1, data: data.trend.closure_rate,
            connectNulls: true, itemStyle: { color: "#f28e2b" } }
        ]
      }));
    }
  }

  // Breakdown by status: a doughnut of the statuses that have events.
  var status = chart("chart-status");
  if (status) {
    var statuses = data.statuses.filter(function (s) { return s.value > 0; });
    if (!statuses.length) { noData(status); } else {
      status.setOption(Object.assign({}, base, {
        tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
        legend: { bottom: 0, textStyle: { color: textColor } },
        series: [{ type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"], data: statuses,
          label: { color: textColor, formatter: "{b}\n{c}" } }]
      }));
    }
  }

  // Breakdown by main category: horizontal bars, biggest on top.
  var category = chart("chart-category");
  if (category) {
    var cats = data.categories.slice().reverse();
    if (!cats.length) { noData(category); } else {
      category.setOption(Object.assign({}, base, {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 10, right: 30, top: 10, bottom: 20, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: cats.map(function (c) { return c.name; }) },
        series: [{ type: "bar", data: cats.map(function (c) { return c.value; }), itemStyle: { color: "#76b7b2" },
          label: { show: true, position: "right", color: textColor } }]
      }));
    }
  }

  // The children's polygons (GeoJSON, no tiles), coloured by the chosen KPI; a click drills down.
  var byName = {};
  data.children = data.children || [];
  data.children.forEach(function (c) { byName[c.name] = c; });
  var map = chart("chart-map");
  var kpiSelect = document.getElementById("map-kpi");
  function kpiMeta(key) {
    for (var i = 0; i < data.kpis.length; i++) { if (data.kpis[i].key === key) { return data.kpis[i]; } }
    return data.kpis[0];
  }
  function drawMap(key) {
    var meta = kpiMeta(key);
    var narrow = map.getWidth() < 500;
    var values = data.children.map(function (c) { return { name: c.name, value: c[meta.key] }; });
    var numbers = values.map(function (v) { return v.value; }).filter(function (v) { return v !== null; });
    var max = numbers.length ? Math.max.apply(null, numbers) : 1;
    var min = numbers.length ? Math.min.apply(null, numbers) : 0;
    if (meta.measure === "percent") { min = Math.min(min, 0); max = Math.max(max, 1); }
    if (max === min) { max = min + 1; }
    map.setOption(Object.assign({}, base, {
      tooltip: { trigger: "item", formatter: function (p) {
        var v = p.value; if (v === undefined || v === null || isNaN(v)) { v = "—"; }
        else if (meta.measure === "percent") { v = v + "%"; } else if (meta.measure === "hours") { v = v + " h"; }
        return p.name + "<br>" + meta.label + ": " + v;
      } },
      // On a phone the scale lies under the map, across, instead of over the map's left edge.
      visualMap: Object.assign({ min: min, max: max, left: 10, bottom: 10, calculable: true, text: [meta.label, ""],
        textStyle: { color: textColor },
        inRange: { color: dark ? ["#16325c", "#2f7fd3", "#7fd3ff"] : ["#e8f1fb", "#6baed6", "#08519c"] } },
        narrow ? { orient: "horizontal", left: "center", bottom: 0, itemHeight: 120 } : {}),
      series: [Object.assign({ type: "map", map: "children", roam: false, data: values, aspectScale: 0.85,
        label: { show: true, color: dark ? "#fff" : "#222", fontSize: dark ? 14 : 11 },
        itemStyle: { borderColor: dark ? "#7fd3ff" : "#fff", borderWidth: 1 },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#f28e2b" } } }, narrow ? { top: 10, bottom: 70, left: 10, right: 10 } : {})]
    }), true);
  }
  if (map) {
    if (!data.geo.features.length) { noData(map); } else {
      echarts.registerMap("children", data.geo);
      drawMap(kpiSelect ? kpiSelect.value : "events");
      map.on("click", function (p) { var c = byName[p.name]; if (c) { window.location.href = c.url; } });
      if (kpiSelect) { kpiSelect.addEventListener("change", function () { drawMap(kpiSelect.value); }); }
    }
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });

  // The ranking table: a header click sorts by that column (numbers high first), a row click drills down.
  document.querySelectorAll("table.ranking").forEach(function (table) {
    var heads = table.querySelectorAll("th[data-sort]");
    heads.forEach(function (th, index) {
      th.addEventListener("click", function () {
        var numeric = th.getAttribute("data-sort") === "number";
        var desc = numeric ? !th.classList.contains("sorted-desc") : th.classList.contains("sorted-asc");
        heads.forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
        th.classList.add(desc ? "sorted-desc" : "sorted-asc");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-href]"));
        rows.sort(function (a, b) {
          var x = a.cells[index].getAttribute("data-value"), y = b.cells[index].getAttribute("data-value");
          var cmp;
          if (numeric) {
            var nx = x === "" ? -Infinity : parseFloat(x), ny = y === "" ? -Infinity : parseFloat(y);
            cmp = nx - ny;
          } else { cmp = x.localeCompare(y); }
          return desc ? -cmp : cmp;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    table.addEventListener("click", function (e) {
      if (e.target.closest("a")) { return; }
      var row = e.target.closest("tr[data-href]");
      if (row) { window.location.href = row.getAttribute("data-href"); }
    });
  });
})();
