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
