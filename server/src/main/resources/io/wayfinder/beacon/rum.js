/* Wayfinder real-user beacon. After the page has loaded it fetches each region's probe a few times,
   one region after another (the first fetch opens the connection), keeps the fastest request to
   first byte by Resource Timing (the clock around the fetch where the probe sends no
   Timing-Allow-Origin), and posts one sample a region. A probe that fails or takes over 5 s gives no
   sample (a timeout is not a latency). Sent with sendBeacon as text/plain: no CORS preflight. */
(function (c, d, w) {
  var s = d.currentScript, P = w.performance;
  if (!s || !w.fetch || !P || !P.getEntriesByName || Math.random() >= c.p) return;
  var post = new URL("/rum?key=" + c.k, s.src).href;
  function pause(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  async function time(url) {
    var u = new URL(url, location.href);
    u.searchParams.set("wf", Math.random().toString(36).slice(2));
    u = u.href;
    var t = P.now(), o = { mode: "no-cors", cache: "no-store", credentials: "omit" };
    if (w.AbortSignal && AbortSignal.timeout) o.signal = AbortSignal.timeout(5e3);
    var r = await fetch(u, o), clock = P.now() - t;
    await r.arrayBuffer().catch(function () {});
    for (var i = 0; i < 5; i++) {
      var e = P.getEntriesByName(u).pop();
      if (e) return e.requestStart > 0 && e.responseStart >= e.requestStart ? [e.responseStart - e.requestStart, 1] : [clock, 0];
      await pause(20);
    }
    return [clock, 0];
  }
  async function run() {
    var out = [];
    for (var j = 0; j < c.t.length; j++) {
      var best = null;
      try {
        for (var i = 0; i < c.n; i++) {
          var m = await time(c.t[j][1]);
          if (i && (!best || m[0] < best[0])) best = m;
        }
      } catch (e) { continue; }
      out.push({ region: c.t[j][0], rttMs: Math.max(0.1, Math.round(best[0] * 10) / 10), timing: best[1] ? "resource" : "clock" });
    }
    if (!out.length) return;
    var body = JSON.stringify({ samples: out });
    if (!(navigator.sendBeacon && navigator.sendBeacon(post, body)))
      fetch(post, { method: "POST", body: body, keepalive: true, credentials: "omit" }).catch(function () {});
  }
  function start() { setTimeout(run, 300); }
  d.readyState == "complete" ? start() : w.addEventListener("load", start);
})(/*CONFIG*/, document, window);
