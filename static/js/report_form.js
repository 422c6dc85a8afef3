// The report page: field styles, the two-level category, the after-photos of 自处置, the browser's position, one submit.
(function () {
  var form = document.getElementById("report-form");
  for (const el of form.querySelectorAll("input:not([type=hidden]):not([type=checkbox]):not([type=file]), select, textarea")) {
    el.classList.add(el.tagName === "SELECT" ? "form-select" : "form-control");
  }
  form.querySelectorAll("input[type=checkbox]").forEach(function (el) { el.classList.add("form-check-input"); });
  // Two-level category: the subcategory list follows the main category.
  var main = document.getElementById("id_main_category"), sub = document.getElementById("id_category");
  function filterSubs() {
    var parent = main.value;
    for (const opt of sub.options) { if (opt.value) opt.hidden = parent !== "" && opt.dataset.parent !== parent; }
    if (sub.selectedOptions[0] && sub.selectedOptions[0].hidden) sub.value = "";
  }
  sub.addEventListener("change", function () { var o = sub.selectedOptions[0]; if (o && o.value) main.value = o.dataset.parent; });
  main.addEventListener("change", filterSubs); filterSubs();
  // 自处置 shows the after-photos input.
  var spot = document.getElementById("id_handled_on_spot"), after = document.getElementById("after-block");
  function toggleAfter() { after.hidden = !spot.checked; } spot.addEventListener("change", toggleAfter); toggleAfter();
  // Location from the browser.
  document.getElementById("locate-btn").addEventListener("click", function () {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.lon.value = pos.coords.longitude.toFixed(6); form.lat.value = pos.coords.latitude.toFixed(6);
      document.getElementById("locate-out").textContent = form.lon.value + ", " + form.lat.value;
      form.lon.dispatchEvent(new Event("input", { bubbles: true }));  // keeps the draft; moves the map's marker
    });
  });
  form.addEventListener("submit", function () { form.querySelector("[type=submit]").disabled = true; });
})();
