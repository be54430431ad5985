// 一级指标得分: score against points per first-level indicator, as horizontal bars.
(function () {
  "use strict";
  const el = document.getElementById("group-chart");
  const source = document.getElementById("group-chart-data");
  if (!el || !source || !window.echarts) return;
  const groups = JSON.parse(source.textContent);
  const chart = window.echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: window.getComputedStyle(document.body).fontFamily },
    grid: { left: 8, right: 96, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: "value", show: false, max: function (v) { return v.max; } },
    yAxis: { type: "category", inverse: true, data: groups.map(function (g) { return g.name; }),
      axisTick: { show: false }, axisLine: { show: false }, axisLabel: { color: "#1d2330" } },
    series: [
      { type: "bar", data: groups.map(function (g) { return Number(g.points); }), barWidth: 14,
        itemStyle: { color: "#eef1f5" }, barGap: "-100%", silent: true,
        label: { show: true, position: "right", color: "#667085",
          formatter: function (p) { return groups[p.dataIndex].score + " / " + groups[p.dataIndex].points; } } },
      { type: "bar", data: groups.map(function (g) { return Number(g.score); }), barWidth: 14,
        itemStyle: { color: "#1f5fa8" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
