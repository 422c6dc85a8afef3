/* e网清 巡查轨迹: a day's patrols drawn on the grids' boundaries with the vendored ECharts, without tiles.
   Data (#patrol-map-data): {geo: a GeoJSON FeatureCollection of the grids, tracks: [{id, name, line: [[lon, lat]…],
   check_ins: [[lon, lat, building]…]}]}. Each track is a polyline in its own colour, its check-ins dots on it. */
(function () {
  "use strict";
  var source = document.getElementById("patrol-map-data");
  var el = document.getElementById("patrol-map");
  if (!source || !el || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var MAP = "patrol-grids";
  var COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"];
  var lats = [];
  (data.geo.features || []).forEach(function (f) {
    var polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    polygons.forEach(function (rings) { rings[0].forEach(function (c) { lats.push(c[1]); }); });
  });
  data.tracks.forEach(function (t) { t.line.forEach(function (c) { lats.push(c[1]); }); });
  if (!lats.length) { return; }
  var mid = (Math.min.apply(null, lats) + Math.max.apply(null, lats)) / 2;
  var aspect = Math.cos(mid * Math.PI / 180);
  if (!data.geo.features || !data.geo.features.length) { return; }  // no boundaries: the table alone
  echarts.registerMap(MAP, data.geo);
  var series = [];
  data.tracks.forEach(function (t, n) {
    var colour = COLOURS[n % COLOURS.length];
    if (t.line.length > 1) {
      series.push({ type: "lines", coordinateSystem: "geo", polyline: true, name: t.name, silent: false,
                    lineStyle: { color: colour, width: 3, opacity: 0.85 }, data: [{ coords: t.line, name: t.name }] });
    }
    series.push({ type: "scatter", coordinateSystem: "geo", name: t.name, symbolSize: 9, itemStyle: { color: colour },
                  data: t.check_ins.map(function (c) { return { name: c[2], value: [c[0], c[1]] }; }) });
  });
  var chart = echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: { trigger: "item", formatter: function (p) { return p.seriesName + (p.data && p.data.value ? " · " + p.name : ""); } },
    legend: { type: "scroll", bottom: 0, data: data.tracks.map(function (t) { return t.name; }) },
    geo: {
      map: MAP, roam: true, aspectScale: aspect > 0.05 ? aspect : 0.75,
      itemStyle: { areaColor: "#eef3f8", borderColor: "#8aa4c2" },
      label: { show: true, fontSize: 10, color: "#667" }, emphasis: { disabled: true }
    },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
