// The canvas is designed at 1920×1080; scaled to fit whatever screen shows it (1440×900, 4K), centred, never cut.
(function () {
  var screen = document.querySelector("[data-testid=screen]");
  function fit() {
    var scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    screen.style.transform = "scale(" + scale + ")";
    screen.style.left = Math.max(0, (window.innerWidth - 1920 * scale) / 2) + "px";
    screen.style.top = Math.max(0, (window.innerHeight - 1080 * scale) / 2) + "px";
    screen.dataset.scale = scale.toFixed(4);
  }
  fit();
  window.addEventListener("resize", fit);
})();
