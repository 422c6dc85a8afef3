// Behaviour every page shares, bound here rather than in inline handlers (the Content-Security-Policy allows no
// inline script): a select marked data-autosubmit sends its form on change; a button marked data-print prints.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
});
document.addEventListener("click", function (event) {
  var el = event.target.closest && event.target.closest("[data-print]");
  if (el) { event.preventDefault(); window.print(); }
});

// A form marked data-bootstrap-fields gets Bootstrap's classes on its plain fields (a Django form rendered as is).
document.querySelectorAll("form[data-bootstrap-fields]").forEach(function (form) {
  form.querySelectorAll("input:not([type=checkbox]):not([type=radio]):not([type=hidden]), textarea").forEach(function (el) {
    el.classList.add("form-control");
  });
  form.querySelectorAll("select").forEach(function (el) { el.classList.add("form-select"); });
});

