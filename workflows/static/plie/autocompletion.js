// Les champs à autocomplétion (workflows/autocompletion.py) : au fil de la frappe, la liste
// <datalist> du champ reçoit au plus 20 propositions de la vue JSON (même site, CSP « self »).
(function () {
  "use strict";
  function relier(champ) {
    var liste = document.getElementById(champ.getAttribute("list"));
    var adresse = champ.getAttribute("data-autocompletion");
    var minuteur = null;
    var derniere = "";
    if (!liste || !adresse) { return; }
    champ.addEventListener("input", function () {
      var q = champ.value.trim();
      if (q.length < 2 || q === derniere || /\(n° ?\d+\)$/.test(q)) { return; }
      clearTimeout(minuteur);
      minuteur = setTimeout(function () {
        derniere = q;
        var url = adresse + (adresse.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { resultats: [] }; })
          .then(function (donnees) {
            liste.replaceChildren();
            donnees.resultats.forEach(function (r) {
              var option = document.createElement("option");
              option.value = r.valeur;
              liste.appendChild(option);
            });
          })
          .catch(function () { liste.replaceChildren(); });
      }, 200);
    });
  }
  function demarrer() {
    document.querySelectorAll("input[data-autocompletion]").forEach(relier);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", demarrer);
  } else {
    demarrer();
  }
})();
