// Shows and hides dependent questions at once. The server evaluates the same conditions,
// so the wizard works without this script.
(function () {
  "use strict";
  var form = document.querySelector("form.wizard");
  if (!form) { return; }
  var holder = form.querySelector(".wizard-questions");
  var outside = JSON.parse((holder && holder.getAttribute("data-outside")) || "{}");

  function answerOf(id) {
    var inputs = form.querySelectorAll('[name="answer-' + id + '"]');
    if (!inputs.length) { return outside[id]; }
    var chosen = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox")) {
        if (input.checked) { chosen.push(input.value); }
      } else if (input.value) { chosen.push(input.value); }
    });
    var section = document.getElementById("q-" + id);
    if (section && section.hidden) { return undefined; }
    return chosen;
  }

  function holds(condition) {
    if (condition.kind === "all") { return condition.children.every(holds); }
    if (condition.kind === "any") { return condition.children.some(holds); }
    var answer = answerOf(condition.question);
    var chosen = answer === undefined || answer === null ? [] : [].concat(answer);
    var hit = chosen.some(function (v) { return condition.values.indexOf(v) !== -1; });
    return condition.kind === "not_in" ? !hit : hit;
  }

  function update() {
    form.querySelectorAll(".question[data-condition]").forEach(function (el) {
      var applies = holds(JSON.parse(el.getAttribute("data-condition")));
      var note = el.querySelector(".not-scored-note");
      el.classList.toggle("not-applicable", !applies);
      if (note) { note.hidden = applies; }
      el.hidden = !applies && !el.classList.contains("has-answer");
    });
  }

  form.addEventListener("change", update);
  update();
}());
