// Les champs à autocomplétion (workflows/autocompletion.py) : au fil de la frappe, la liste
// <datalist> du champ reçoit au plus 20 propositions de la vue JSON (même site, CSP « self »).
// Écoute déléguée au document : viewflow navigue avec Turbo, qui remplace la page sans relancer
// les scripts ; un champ arrivé par une navigation Turbo est servi comme les autres.
(function () {
  "use strict";
  var minuteurs = new WeakMap();
  var dernieres = new WeakMap();

  function proposer(champ) {
    var liste = document.getElementById(champ.getAttribute("list"));
    var adresse = champ.getAttribute("data-autocompletion");
    var q = champ.value.trim();
    if (!liste || !adresse) { return; }
    if (q.length < 2 || q === dernieres.get(champ) || /\(n° ?\d+\)$/.test(q)) { return; }
    clearTimeout(minuteurs.get(champ));
    minuteurs.set(champ, setTimeout(function () {
      dernieres.set(champ, q);
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
    }, 200));
  }

  document.addEventListener("input", function (evenement) {
    var champ = evenement.target;
    if (champ instanceof HTMLInputElement && champ.hasAttribute("data-autocompletion")) {
      proposer(champ);
    }
  });
})();
