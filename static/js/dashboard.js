// Draws the dashboard's charts with the vendored Chart.js. The figures come from
// <script type="application/json"> blocks (json_script), never from inline code, so
// that the page works under a Content-Security-Policy without 'unsafe-inline'.
(function () {
  "use strict";
  if (!window.Chart) return;
  var css = getComputedStyle(document.documentElement);
  function colour(tone) {
    var names = {
      positive: "--pos", neutral: "--neu", negative: "--neg", accent: "--accent",
      warn: "--warn", pos: "--pos", neg: "--neg", neu: "--neu", accent2: "--accent2", fg: "--fg"
    };
    return (css.getPropertyValue(names[tone] || "--accent") || "#2457c5").trim();
  }
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = colour("fg");
  Chart.defaults.animation = reduced ? false : { duration: 300 };

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var line = spec.type === "line";
    var links = spec.datasets.map(function (d) { return d.links || []; });
    function linkAt(elements) {
      if (!elements.length) return null;
      var e = elements[0];
      return (links[e.datasetIndex] || [])[e.index] || null;
    }
    var datasets = spec.datasets.map(function (d) {
      var c = colour(d.tone);
      return {
        label: d.label, data: d.data, backgroundColor: c, borderColor: c,
        borderWidth: line ? 2 : 0, pointRadius: line ? 2 : 0, spanGaps: true, tension: 0.2,
        // Monotone: a curve between two counts never dips below the lower one (a plain
        // cubic showed negative mentions between points).
        cubicInterpolationMode: "monotone"
      };
    });
    // On a phone a long name (a source, an author) would leave no room for its bar:
    // cut it with an ellipsis (the full name is in the tooltip and the table).
    var room = canvas.parentNode.clientWidth < 480 ? 16 : 40;
    function shortLabel(value) {
      var label = String(this.getLabelForValue(value));
      return label.length > room ? label.slice(0, room - 1) + "\u2026" : label;
    }
    // Counts are whole numbers: no "0,5 mention" on the axis.
    var counts = { precision: 0 };
    var scales = {
      x: { stacked: !!spec.stacked, ticks: spec.horizontal ? counts : { autoSkip: true, maxRotation: 0 } },
      y: { stacked: !!spec.stacked, beginAtZero: true, ticks: spec.horizontal ? { callback: shortLabel } : counts }
    };
    if (spec.min !== undefined) { scales.y.min = spec.min; scales.y.max = spec.max; }
    // A line's points are small: a click near one, along the x axis, opens it.
    var interaction = line ? { mode: "nearest", axis: "x", intersect: false } : { mode: "nearest", intersect: true };
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        scales: scales,
        interaction: interaction,
        // Hovering a bar changes its colour; Chart.js cannot animate between the
        // page's colours (CSS functions it does not parse) and threw on each hover.
        animations: { colors: false },
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
        // A bar or a point opens the inbox filtered to the mentions it counts (the
        // address comes from the server, figure_links.py; the tables below carry the
        // same links for the keyboard).
        onClick: function (event, elements) {
          var url = linkAt(elements);
          if (url && url.charAt(0) === "/" && url.charAt(1) !== "/") window.location.assign(url);
        },
        onHover: function (event, elements) {
          canvas.style.cursor = linkAt(elements) ? "pointer" : "";
        }
      }
    });
  });
})();
