// 全市概览 charts. The data comes from the page's json_script block; nothing is built as a string.
(function () {
  "use strict";
  var COLORS = {
    not_started: "#c9ced8", drafting: "#9fb3c8", submitted: "#5b8fd1",
    returned: "#e0766e", approved: "#5cb37a", published: "#1b7f3b"
  };
  var GRADE_COLORS = { "优": "#1b7f3b", "良": "#1f5fa8", "中": "#b26a00", "差": "#b3261e" };
  var FONT = '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

  function init(id) {
    var element = document.getElementById(id);
    return element ? echarts.init(element, null, { renderer: "svg" }) : null;
  }

  function draw() {
    var source = document.getElementById("overview-data");
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var charts = [];

    // Many departments (or a department's many units) need more height than the card's default.
    var progressBox = document.getElementById("chart-progress");
    if (progressBox) {
      progressBox.style.height = Math.max(280, 26 * data.progress.departments.length + 90) + "px";
    }
    var progress = init("chart-progress");
    if (progress) {
      progress.setOption({
        textStyle: { fontFamily: FONT },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
        grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1, max: data.progress.per_unit ? 1 : null,
          show: !data.progress.per_unit },
        yAxis: { type: "category", inverse: true, data: data.progress.departments,
          axisLabel: { width: 150, overflow: "truncate", fontSize: 11 } },
        series: data.progress.series.map(function (s) {
          return { name: s.name, type: "bar", stack: "all", data: s.data, barMaxWidth: 22,
            itemStyle: { color: COLORS[s.key] } };
        })
      });
      charts.push(progress);
    }

    var grades = init("chart-grades");
    if (grades) {
      grades.setOption({
        textStyle: { fontFamily: FONT },
        tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
        legend: { bottom: 0, itemWidth: 12, itemHeight: 10 },
        // Labels outside a smaller ring, never truncated: at 1024 px the card is narrow and the
        // ring at 68% pushed the first label (优) past the edge.
        series: [{ type: "pie", radius: ["30%", "55%"], center: ["50%", "45%"],
          avoidLabelOverlap: true, minShowLabelAngle: 0,
          label: { formatter: "{b} {c}", overflow: "none", fontSize: 12 },
          labelLine: { length: 8, length2: 6 },
          labelLayout: { hideOverlap: false, moveOverlap: "shiftY" },
          data: data.grades.map(function (g) {
            return { name: g.label, value: g.value, itemStyle: { color: GRADE_COLORS[g.name] || "#98a2b3" } };
          }) }]
      });
      if (!data.grades.length) {
        grades.setOption({ title: { text: data.labels.no_scores, left: "center", top: "middle",
          textStyle: { color: "#667085", fontSize: 13, fontWeight: "normal" } } });
      }
      charts.push(grades);
    }

    var scoresBox = document.getElementById("chart-scores");
    var scores = init("chart-scores");
    if (scores) {
      scores.setOption({
        textStyle: { fontFamily: FONT },
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
        // interval 0: every bin's label, always (ECharts otherwise drops labels it thinks overlap,
        // which is how 60–70 and 80–90 went missing); narrow cards tilt them instead.
        xAxis: { type: "category", data: data.scores.bins,
          axisLabel: { fontSize: 11, interval: 0, hideOverlap: false,
            rotate: scoresBox && scoresBox.clientWidth < 360 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: data.scores.data, barCategoryGap: "8%",
          itemStyle: { color: "#1f5fa8" }, label: { show: true, position: "top" } }]
      });
      charts.push(scores);
    }

    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
