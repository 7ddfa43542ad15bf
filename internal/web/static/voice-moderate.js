// Keyboard shortcuts for the moderation queue: j/k next/previous idea,
// x select it, p publish, s spam, h hide (then choose the reason),
// m merge (then type the idea it repeats), t set theme.
(function () {
  "use strict";
  var form = document.getElementById("queue");
  if (!form) return;
  var items = Array.prototype.slice.call(form.querySelectorAll(".queue-item")), cur = -1;
  function focus(i) {
    if (!items.length) return;
    cur = Math.max(0, Math.min(items.length - 1, i));
    items.forEach(function (it, k) { it.classList.toggle("current", k === cur); });
    items[cur].focus();
  }
  function only() {
    items.forEach(function (it, k) { it.querySelector("input[name=idea]").checked = k === cur; });
  }
  function bulk(action, then) {
    if (cur < 0) return;
    var sel = form.querySelectorAll("input[name=idea]:checked");
    if (!sel.length) only();
    form.querySelector("#b-action").value = action;
    if (then) { document.getElementById(then).focus(); return; }
    form.submit();
  }
  document.addEventListener("keydown", function (e) {
    var tag = (e.target.tagName || "").toLowerCase();
    if (e.ctrlKey || e.metaKey || e.altKey || tag === "input" && e.target.type !== "checkbox" || tag === "select" || tag === "textarea") return;
    switch (e.key) {
      case "j": focus(cur + 1); break;
      case "k": focus(cur - 1); break;
      case "x": if (cur >= 0) { var c = items[cur].querySelector("input[name=idea]"); c.checked = !c.checked; } break;
      case "p": bulk("publish"); break;
      case "s": bulk("spam"); break;
      case "h": bulk("hide", "b-reason"); break;
      case "m": bulk("merge", "b-into"); break;
      case "t": bulk("theme", "b-theme"); break;
      default: return;
    }
    e.preventDefault();
  });
})();
