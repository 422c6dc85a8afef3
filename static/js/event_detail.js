// The event page: the step forms' field styles; after filing (?filed=1) the report draft kept on the phone is dropped.
for (const el of document.querySelectorAll("[data-testid^=step-] select")) el.classList.add("form-select", "form-select-sm");
for (const el of document.querySelectorAll("[data-testid^=step-] textarea, [data-testid^=step-] input[type=text], [data-testid^=step-] input[type=file]")) el.classList.add("form-control", "form-control-sm");
if (document.querySelector("[data-clear-report-draft]")) {
  try { localStorage.removeItem("yh-report-draft"); indexedDB.deleteDatabase("yh-report-draft"); } catch (e) {}
}
