/* The patrol's track on the phone: every position goes into a queue kept in localStorage (so a lost connection,
   a reload or a closed tab loses nothing) and is numbered; the queue is sent in batches to the patrol's
   `positions` API, which ignores numbers it already has, and emptied up to what the server confirmed. */
(function () {
  "use strict";
  var root = document.getElementById("patrol");
  if (!root || !navigator.geolocation) { return; }
  var key = "patrol-track-" + root.dataset.patrol;
  var url = root.dataset.positionsUrl;
  var statusEl = document.getElementById("track-status");
  var queueEl = document.getElementById("track-queue");
  var csrf = (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value;
  var sending = false;
  var INTERVAL_MS = 30000;
  var lastAt = 0;

  function load() {
    try { return JSON.parse(localStorage.getItem(key)) || { seq: 0, queue: [] }; }
    catch (e) { return { seq: 0, queue: [] }; }
  }
  function save(state) {
    localStorage.setItem(key, JSON.stringify(state));
    queueEl.textContent = String(state.queue.length);
  }
  function record(position) {
    var now = position.timestamp || Date.now();
    if (now - lastAt < INTERVAL_MS / 2) { return; }  // one position every 15 s at most
    lastAt = now;
    var state = load();
    state.seq += 1;
    state.queue.push({
      seq: state.seq, at: new Date(now).toISOString(),
      lon: position.coords.longitude, lat: position.coords.latitude,
      accuracy: Math.round(position.coords.accuracy || 0)
    });
    save(state);
    flush();
  }
  function flush() {
    var state = load();
    if (sending || !state.queue.length || !navigator.onLine) { return; }
    sending = true;
    var batch = state.queue.slice(0, 200);
    var sentUpTo = batch[batch.length - 1].seq;
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ points: batch })
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      var fresh = load();
      fresh.queue = fresh.queue.filter(function (p) { return p.seq > sentUpTo; });
      save(fresh);
      statusEl.textContent = statusEl.dataset.ok || statusEl.textContent;
    }).catch(function () {
      statusEl.dataset.ok = statusEl.dataset.ok || statusEl.textContent;
    }).finally(function () {
      sending = false;
      if (load().queue.length && navigator.onLine) { setTimeout(flush, 1000); }
    });
  }
  save(load());
  navigator.geolocation.watchPosition(record, function () {}, { enableHighAccuracy: true, maximumAge: 10000 });
  window.addEventListener("online", flush);
  setInterval(flush, INTERVAL_MS);
  document.getElementById("patrol-end").addEventListener("submit", function () { flush(); });
  window.patrolTrack = { record: record, flush: flush, state: load };  // for the browser test
})();
