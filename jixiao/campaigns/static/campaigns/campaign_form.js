// 下达范围: show only the picker the chosen scope needs; 项目名称 only for project campaigns.
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
  }
  document.addEventListener("change", function (event) {
    if (event.target.name === "scope" || event.target.name === "kind") sync();
  });
  document.addEventListener("DOMContentLoaded", sync);
})();
