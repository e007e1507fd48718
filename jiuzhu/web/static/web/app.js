// Jiuzhu pages: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Print buttons: <button data-print>.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // Formset rows: <button data-formset-add="members"> clones <template id="members-empty-form">;
  // <button data-formset-remove> removes its row and renumbers the rest so that row N of the page
  // is always "members-N-…" (the service reports errors by that index).
  function renumber(container, prefix) {
    var rows = container.querySelectorAll("[data-formset-row]");
    var pattern = new RegExp(prefix + "-(\\d+|__prefix__)-", "g");
    rows.forEach(function (row, index) {
      row.querySelectorAll("[name], [id], [for], [data-field]").forEach(function (el) {
        ["name", "id", "for", "data-field"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) {
            el.setAttribute(attr, value.replace(pattern, prefix + "-" + index + "-"));
          }
        });
      });
      var number = row.querySelector("[data-row-number]");
      if (number) {
        number.textContent = String(index + 1);
      }
      var remove = row.querySelector("[data-formset-remove]");
      if (remove) {
        remove.hidden = rows.length <= 1;
      }
    });
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (total) {
      total.value = String(rows.length);
    }
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-formset-add]");
    if (add) {
      event.preventDefault();
      var prefix = add.getAttribute("data-formset-add");
      var template = document.getElementById(prefix + "-empty-form");
      var container = document.getElementById(prefix + "-rows");
      if (!template || !container) {
        return;
      }
      var fragment = template.content.cloneNode(true);
      container.appendChild(fragment);
      renumber(container, prefix);
      var rows = container.querySelectorAll("[data-formset-row]");
      var first = rows[rows.length - 1].querySelector("input[type=text]");
      if (first) {
        first.focus();
      }
      return;
    }
    var remove = event.target.closest("[data-formset-remove]");
    if (remove) {
      event.preventDefault();
      var row = remove.closest("[data-formset-row]");
      var box = row.parentElement;
      row.remove();
      renumber(box, box.getAttribute("data-formset-prefix"));
    }
  });

  // "Select all": <input type="checkbox" data-select-all="reviews"> ticks every checkbox named "reviews"
  // in its form.
  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-select-all]");
    if (!all) {
      return;
    }
    var name = all.getAttribute("data-select-all");
    var scope = all.form || document;
    scope.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset-prefix]").forEach(function (box) {
      renumber(box, box.getAttribute("data-formset-prefix"));
    });
  });
})();

// Background jobs: <section data-job-status-url> polls the job's status once a second, moves the
// progress bar and reloads the page (log, result) when the job has finished.
(function () {
  "use strict";
  var panel = document.querySelector("[data-job-status-url]");
  if (!panel || !window.fetch) {
    return;
  }
  var url = panel.getAttribute("data-job-status-url");
  function field(name) {
    return panel.querySelector('[data-job-field="' + name + '"]');
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        var bar = field("bar");
        if (bar && job.percent !== null) { bar.value = job.percent; }
        var figures = field("figures");
        if (figures) { figures.textContent = job.done + (job.total !== null ? " / " + job.total : ""); }
        var status = field("status_label");
        if (status) { status.textContent = job.status_label; }
        if (job.active) { window.setTimeout(poll, 1000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
