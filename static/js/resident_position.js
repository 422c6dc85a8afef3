// 随手拍: "use my position" fills the report's longitude and latitude from the phone (a file, not inline script:
// the Content-Security-Policy allows none). The messages come from the button's data-msg-* attributes.
(function () {
  var button = document.getElementById("use-position");
  if (!button) return;
  button.addEventListener("click", function () {
    var status = document.getElementById("position-status");
    if (!navigator.geolocation) { status.textContent = button.dataset.msgNone; return; }
    status.textContent = button.dataset.msgFinding;
    navigator.geolocation.getCurrentPosition(function (p) {
      document.getElementById("lon").value = p.coords.longitude.toFixed(6);
      document.getElementById("lat").value = p.coords.latitude.toFixed(6);
      // The map (report_map.js) marks the point: it listens for "input" from the lon field.
      document.getElementById("lon").dispatchEvent(new Event("input", { bubbles: true }));
      status.textContent = button.dataset.msgSet;
    }, function () { status.textContent = button.dataset.msgNone; });
  });
})();
