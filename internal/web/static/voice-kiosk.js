// Kiosk for residents' ideas: one idea after another on a tablet at the
// venue. Ideas wait in IndexedDB until the server has them, so a dropped
// network loses nothing; each carries an idempotency key, so sending it
// again never doubles it. Nothing of a visitor stays on screen after 60 s.
(function () {
  "use strict";
  var root = document.getElementById("kiosk");
  if (!root) return;
  var T = JSON.parse(document.getElementById("kiosk-data").textContent);
  var consultation = Number(root.dataset.consultation), token = root.dataset.token;
  var lang = document.documentElement.lang || "en", theme = "", idle = null, dbp = null, sending = false;
  var $ = function (id) { return document.getElementById(id); };
  function t(k) { return (T[lang] && T[lang][k]) || T.en[k] || ""; }

  function openDB() {
    if (dbp) return dbp;
    dbp = new Promise(function (ok, fail) {
      var rq = indexedDB.open("observatory-kiosk", 1);
      rq.onupgradeneeded = function () { rq.result.createObjectStore("outbox", { keyPath: "key" }); };
      rq.onsuccess = function () { ok(rq.result); };
      rq.onerror = function () { fail(rq.error); };
    });
    return dbp;
  }
  function tx(mode, fn) {
    return openDB().then(function (db) {
      return new Promise(function (ok, fail) {
        var x = db.transaction("outbox", mode), st = x.objectStore("outbox"), out = fn(st);
        x.oncomplete = function () { ok(out && out.result !== undefined ? out.result : undefined); };
        x.onerror = function () { fail(x.error); };
      });
    });
  }
  function all() { return tx("readonly", function (st) { return st.getAll(); }); }
  function put(rec) { return tx("readwrite", function (st) { st.put(rec); }); }
  function del(key) { return tx("readwrite", function (st) { st.delete(key); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var a = new Uint8Array(16); crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // send posts one idea; resolves with the answer's JSON, null when the
  // server refused it for good, and rejects when the network failed.
  function send(rec, backlog) {
    return fetch("/api/v1/ideas", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": rec.key, "Accept-Language": rec.language },
      body: JSON.stringify({ consultation: consultation, text: rec.text, language: rec.language, theme: rec.theme, station: token, backlog: backlog }),
      // A request the network swallows must not hold the outbox forever.
      signal: AbortSignal.timeout(20000)
    }).then(function (res) {
      if (res.status === 202) return res.json();
      if (res.status >= 500 || res.status === 429) throw new Error("retry later");
      return null;
    });
  }

  function flush() {
    if (sending) return Promise.resolve();
    sending = true;
    return all().then(function (list) {
      list.sort(function (a, b) { return a.created - b.created; });
      var chain = Promise.resolve(), left = list.length;
      list.forEach(function (rec) {
        chain = chain.then(function () {
          return send(rec, left - 1).then(function (ans) { left--; rec.answer = ans; return del(rec.key); });
        });
      });
      return chain.then(function () { return list; });
    }).catch(function () { /* offline: stays queued */ }).then(function (list) {
      sending = false;
      status();
      return list;
    });
  }

  function status() {
    all().then(function (list) {
      var s = $("k-status");
      if (!navigator.onLine || list.length) {
        s.hidden = false;
        s.textContent = (navigator.onLine ? "" : t("offline") + " · ") + list.length + " " + t("waiting");
      } else {
        s.hidden = true;
      }
    });
  }

  function show(id) {
    ["k-lang", "k-idea", "k-theme", "k-thanks"].forEach(function (s) { $(s).hidden = s !== id; });
  }
  function setLang(l) {
    lang = l;
    document.documentElement.lang = l;
    document.documentElement.dir = l === "ar" ? "rtl" : "ltr";
    $("k-q1").textContent = t("question"); $("k-choose").textContent = t("choose");
    $("k-q2").textContent = t("question"); $("k-text-label").textContent = t("question");
    $("k-text").placeholder = t("placeholder"); $("k-next").textContent = t("next");
    $("k-theme-title").textContent = t("theme"); $("k-skip").textContent = t("skip");
    $("k-again").textContent = t("again"); $("k-code-label").textContent = t("code"); $("k-scan").textContent = t("scan");
    document.querySelectorAll(".k-theme[data-theme]").forEach(function (b) {
      var n = b.getAttribute("data-name-" + l); if (n) b.textContent = n;
    });
    $("k-skip").textContent = t("skip");
  }
  function reset() {
    $("k-text").value = ""; $("k-error").textContent = ""; theme = "";
    $("k-receipt").hidden = true; $("k-code").textContent = ""; $("k-qr").removeAttribute("src");
    setLang(document.body.dataset.startLang || "de");
    show("k-lang");
  }
  function touch() {
    clearTimeout(idle);
    idle = setTimeout(reset, 60000);
  }

  function submit() {
    var rec = { key: newKey(), text: $("k-text").value.trim(), language: lang, theme: theme, created: Date.now() };
    put(rec).then(function () {
      show("k-thanks");
      $("k-thanks-text").textContent = t("queued");
      return flush();
    }).then(function (list) {
      var mine = (list || []).filter(function (r) { return r.key === rec.key && r.answer; })[0];
      if (mine && $("k-thanks").hidden === false) {
        $("k-thanks-text").textContent = t("thanks");
        $("k-code").textContent = mine.answer.receipt;
        $("k-qr").src = root.dataset.qr + mine.answer.receipt;
        $("k-qr").alt = t("code") + " " + mine.answer.receipt;
        $("k-receipt").hidden = false;
      }
    });
  }

  document.body.dataset.startLang = lang;
  document.querySelectorAll(".k-lang").forEach(function (b) {
    b.addEventListener("click", function () { setLang(b.dataset.lang); show("k-idea"); $("k-text").focus(); });
  });
  $("k-next").addEventListener("click", function () {
    if ($("k-text").value.trim().length < 10) { $("k-error").textContent = t("short"); return; }
    $("k-error").textContent = "";
    show("k-theme");
  });
  document.querySelectorAll(".k-theme").forEach(function (b) {
    b.addEventListener("click", function () { theme = b.dataset.theme || ""; submit(); });
  });
  $("k-again").addEventListener("click", reset);
  ["pointerdown", "keydown", "input"].forEach(function (e) { document.addEventListener(e, touch, true); });
  window.addEventListener("online", function () { flush(); });
  window.addEventListener("offline", status);
  setInterval(flush, 15000);
  setInterval(function () {
    all().then(function (list) {
      fetch("/api/v1/ideas/station", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ station: token, backlog: list.length }) }).catch(function () {});
    });
  }, 60000);
  setLang(lang);
  touch();
  flush();
})();
