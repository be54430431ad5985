// 历年对比: the average score, execution rate and share of targets met per year, as lines (data from a json_script).
(function () {
  "use strict";
  const el = document.getElementById("trend-chart");
  const source = document.getElementById("trend-chart-data");
  if (!el || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  el.style.height = (el.dataset.height || 320) + "px";
  const chart = window.echarts.init(el, null, { renderer: "svg" });
  const num = function (v) { return v === null ? null : Number(v); };
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: window.getComputedStyle(document.body).fontFamily },
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 32, bottom: 4, containLabel: true },
    xAxis: { type: "category", data: data.years.map(String) },
    yAxis: { type: "value", min: 0, max: function (v) { return Math.max(100, Math.ceil(v.max)); } },
    series: [
      { name: data.labels.average, type: "line", data: data.average.map(num), label: { show: true } },
      { name: data.labels.execution, type: "line", data: data.execution.map(num), label: { show: true } },
      { name: data.labels.targets, type: "line", data: (data.targets || []).map(num), label: { show: true } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
