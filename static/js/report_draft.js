/* e网清 上报 draft: a report survives a bad connection, a reload or a closed tab until it is filed or discarded.
   - The typed fields are kept in localStorage ("yh-report-draft"); the event's page drops them after a filing.
   - The picked photos (every file input of the form) are kept in IndexedDB (localStorage is too small for images),
     under the draft's idempotency_key, so they belong to that draft only. When the page opens, the photos of the
     form's key are put back into their inputs (DataTransfer) and any others are dropped: their draft was filed or
     discarded. Without IndexedDB (private mode) only the typed fields are kept, as before.
   - "Discard draft" drops both and opens an empty form.
   The form says when the photos are dealt with: data-draft-photos="<number restored>". */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var KEY = "yh-report-draft";
  var FIELDS = ["idempotency_key", "grid", "main_category", "category", "title", "description", "urgency", "lon", "lat",
                "source", "resident_name", "resident_phone"];
  // The server's limits (events/images.py): MAX_PHOTOS in all, each at most MAX_PHOTO_BYTES; more is not kept.
  var MAX_PHOTOS = 6, MAX_PHOTO_BYTES = 8 * 1024 * 1024;
  var el = form.elements, fileInputs = Array.prototype.slice.call(form.querySelectorAll("input[type=file]"));
  var discard = document.getElementById("draft-discard"), note = document.getElementById("draft-restored");

  function showDiscard() { if (discard) { discard.hidden = false; } }

  // Typed fields: restored unless the server shows the posted form again (its values win), saved on every input.
  try {
    var draft = JSON.parse(localStorage.getItem(KEY) || "null");
    if (draft) { showDiscard(); }
    if (draft && form.dataset.bound !== "1") {
      FIELDS.forEach(function (f) { if (draft[f] && el[f]) { el[f].value = draft[f]; } });
      if (draft.handled_on_spot && el.handled_on_spot) {
        el.handled_on_spot.checked = true;
        el.handled_on_spot.dispatchEvent(new Event("change"));  // shows the after-photos input
      }
      if (el.main_category) { el.main_category.dispatchEvent(new Event("change")); }  // filters the subcategories
      if (draft.category && el.category) { el.category.value = draft.category; }
    }
  } catch (e) {}
  form.addEventListener("input", function () {
    var d = {};
    FIELDS.forEach(function (f) { if (el[f]) { d[f] = el[f].value; } });
    if (el.handled_on_spot) { d.handled_on_spot = el.handled_on_spot.checked; }
    try { localStorage.setItem(KEY, JSON.stringify(d)); } catch (e) {}
    showDiscard();
  });

  // Photos, in IndexedDB: one record per draft, {input name: [File, ...]}, keyed by the idempotency_key.
  var db = new Promise(function (resolve) {
    try {
      var open = indexedDB.open(KEY, 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("photos"); };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = open.onblocked = function () { resolve(null); };
    } catch (e) { resolve(null); }
  });

  // Run work(store) in one transaction; true once it is committed, false if it failed or there is no IndexedDB.
  function transact(mode, work) {
    return db.then(function (conn) {
      if (!conn) { return false; }
      return new Promise(function (resolve) {
        try {
          var tx = conn.transaction("photos", mode);
          tx.oncomplete = function () { resolve(true); };
          tx.onerror = tx.onabort = function () { resolve(false); };
          work(tx.objectStore("photos"));
        } catch (e) { resolve(false); }
      });
    });
  }

  // The picked photos the server would take: images of at most MAX_PHOTO_BYTES, MAX_PHOTOS in all, in form order.
  function pickedPhotos() {
    var kept = {}, count = 0;
    fileInputs.forEach(function (input) {
      kept[input.name] = [];
      Array.prototype.forEach.call(input.files, function (file) {
        if (count < MAX_PHOTOS && file.size <= MAX_PHOTO_BYTES && /^image\//.test(file.type)) {
          kept[input.name].push(file);
          count += 1;
        }
      });
    });
    return count ? kept : null;
  }

  var key = el.idempotency_key.value, record = null;
  var restored = transact("readwrite", function (store) {
    store.getAllKeys().onsuccess = function (e) {
      e.target.result.forEach(function (k) { if (k !== key) { store.delete(k); } });
    };
    store.get(key).onsuccess = function (e) { record = e.target.result || null; };
  }).then(function () {
    var count = 0;
    fileInputs.forEach(function (input) {
      var files = (record && record[input.name]) || [];
      if (!files.length || input.files.length) { return; }  // a photo picked meanwhile wins
      try {
        var transfer = new DataTransfer();
        files.forEach(function (file) { transfer.items.add(file); });
        input.files = transfer.files;
        count += files.length;
      } catch (e) {}
    });
    if (count && note) {
      note.querySelector("[data-count]").textContent = String(count);
      note.hidden = false;
      showDiscard();
    }
    form.dataset.draftPhotos = String(count);
  });

  fileInputs.forEach(function (input) {
    input.addEventListener("change", function () {
      if (note) { note.hidden = true; }
      restored.then(function () {
        var photos = pickedPhotos();
        return transact("readwrite", function (store) {
          if (photos) { store.put(photos, key); } else { store.delete(key); }
        });
      });
    });
  });

  if (discard) {
    discard.addEventListener("click", function () {
      if (!window.confirm(discard.dataset.confirm)) { return; }
      try { localStorage.removeItem(KEY); } catch (e) {}
      restored.then(function () {
        return transact("readwrite", function (store) { store.clear(); });
      }).then(function () { location.replace(location.pathname); });
    });
  }
})();
