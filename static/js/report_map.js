/* e网清 上报 map: the boundaries of the grids the reporter may report in (#report-map-data, a GeoJSON
   FeatureCollection) drawn with the vendored ECharts, without tiles. A tap on the map sets the form's lon/lat,
   drops a marker there and highlights the grid under it (and picks that grid in the form: the server decides
   the grid from the point anyway). A location set otherwise (geolocation, a kept draft, a re-shown form) is
   marked too: the page sends an "input" event from the lon field whenever it changes it. */
(function () {
  "use strict";
  var source = document.getElementById("report-map-data");
  var el = document.getElementById("report-map");
  var form = document.getElementById("report-form");
  if (!source || !el || !form || typeof echarts === "undefined") { return; }
  var geo = JSON.parse(source.textContent);
  if (!geo.features || !geo.features.length) { return; }
  var MAP = "report-grids";
  echarts.registerMap(MAP, geo);

  var lonInput = form.elements.lon, latInput = form.elements.lat, gridSelect = form.elements.grid;
  var out = document.getElementById("locate-out");
  var names = {};
  var minLat = Infinity, maxLat = -Infinity;

  function polygonsOf(geometry) { return geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates; }

  geo.features.forEach(function (f) {
    names[f.properties.key] = f.properties.name;
    polygonsOf(f.geometry).forEach(function (rings) {
      rings[0].forEach(function (c) { minLat = Math.min(minLat, c[1]); maxLat = Math.max(maxLat, c[1]); });
    });
  });

  // Ray casting; a point on an edge may fall either way, the server decides with the exact test.
  function inRing(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) { inside = !inside; }
    }
    return inside;
  }

  function gridAt(lon, lat) {
    for (var k = 0; k < geo.features.length; k++) {
      var f = geo.features[k];
      var hit = polygonsOf(f.geometry).some(function (rings) {
        return inRing(rings[0], lon, lat) && !rings.slice(1).some(function (hole) { return inRing(hole, lon, lat); });
      });
      if (hit) { return f.properties; }
    }
    return null;
  }

  var chart = echarts.init(el);
  // Degrees of longitude are shorter than degrees of latitude by cos(latitude): keep the shapes true.
  var aspect = Math.cos((minLat + maxLat) / 2 * Math.PI / 180);

  function draw(point, grid) {
    chart.setOption({
      animation: false,
      geo: {
        map: MAP, nameProperty: "key", roam: false, aspectScale: aspect > 0.05 ? aspect : 0.75,
        itemStyle: { areaColor: "#e8f1fb", borderColor: "#4e79a7", borderWidth: 1 },
        label: { show: true, fontSize: 11, color: "#445", formatter: function (p) { return names[p.name] || ""; } },
        emphasis: { disabled: true }, select: { disabled: true }, tooltip: { show: false },
        regions: grid ? [{ name: grid.key, itemStyle: { areaColor: "#ffd8a8", borderColor: "#f28e2b", borderWidth: 2 } }] : []
      },
      series: [{
        type: "scatter", coordinateSystem: "geo", geoIndex: 0, silent: true, z: 10,
        symbol: "pin", symbolSize: 30, symbolOffset: [0, "-50%"], itemStyle: { color: "#dc3545" },
        data: point ? [point] : []
      }]
    }, true);
  }

  // Draw what the lon/lat fields hold now.
  function sync() {
    var lon = parseFloat(lonInput.value), lat = parseFloat(latInput.value);
    if (isFinite(lon) && isFinite(lat)) {
      draw([lon, lat], gridAt(lon, lat));
      if (out && !out.textContent) { out.textContent = lonInput.value + ", " + latInput.value; }  // a kept draft
    } else { draw(null, null); }
    el.setAttribute("data-picked", isFinite(lon) && isFinite(lat) ? "1" : "0");
  }

  chart.getZr().on("click", function (e) {
    var p = chart.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]);
    if (!p || !isFinite(p[0]) || !isFinite(p[1])) { return; }
    var lon = Math.max(-180, Math.min(180, p[0])), lat = Math.max(-90, Math.min(90, p[1]));
    lonInput.value = lon.toFixed(6);
    latInput.value = lat.toFixed(6);
    var grid = gridAt(lon, lat);
    if (grid && gridSelect && gridSelect.querySelector('option[value="' + grid.id + '"]')) { gridSelect.value = String(grid.id); }
    if (out) { out.textContent = lonInput.value + ", " + latInput.value + (grid ? " · " + grid.name : ""); }
    // Bubbles to the form: the draft is kept, and sync() below draws the marker.
    lonInput.dispatchEvent(new Event("input", { bubbles: true }));
  });

  form.addEventListener("input", function (e) {
    if (e.target === lonInput || e.target === latInput) { sync(); }
  });
  window.addEventListener("resize", function () { chart.resize(); });
  sync();
})();
