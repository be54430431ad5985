// 下达范围: show only the picker the chosen scope needs; 项目名称 only for project campaigns;
// the 评分规则集 list follows the 自评类型.
(function () {
  "use strict";
  function sync() {
    var scope = document.querySelector("input[name=scope]:checked");
    var value = scope ? scope.value : "all";
    var departments = document.getElementById("scope-departments");
    var units = document.getElementById("scope-units");
    if (departments) departments.hidden = value !== "departments";
    if (units) units.hidden = value !== "units";
    var kind = document.querySelector("select[name=kind]");
    var project = document.getElementById("project-name");
    if (kind && project) project.hidden = kind.value !== "project";
    // 绩效运行监控: its own settings, and no rule-set (it is not scored).
    var monitoring = document.getElementById("monitoring-settings");
    if (kind && monitoring) monitoring.hidden = kind.value !== "monitoring";
    // 绩效目标申报: no rule-set; the 成本指标 amount applies instead.
    var threshold = document.getElementById("cost-threshold");
    if (kind && threshold) threshold.hidden = kind.value !== "targets";
    var projectScope = document.getElementById("project-scope");
    if (kind && projectScope) projectScope.hidden = kind.value !== "project" && kind.value !== "targets";
    // 评分规则集: only the rule-sets made for the chosen 自评类型 (options carry data-kind).
    var rulesets = document.querySelector("select[name=ruleset_ref]");
    if (kind && rulesets) {
      var firstShown = null;
      Array.prototype.forEach.call(rulesets.options, function (option) {
        var fits = !option.dataset.kind || option.dataset.kind === kind.value;
        option.hidden = !fits;
        option.disabled = !fits;
        if (fits && firstShown === null && option.value) firstShown = option;
      });
      var chosen = rulesets.options[rulesets.selectedIndex];
      if ((!chosen || chosen.disabled) && firstShown) firstShown.selected = true;
    }
  }
  document.addEventListener("change", function (event) {
    if (event.target.name === "scope" || event.target.name === "kind") sync();
  });
  document.addEventListener("DOMContentLoaded", sync);
})();
