/* "Listen": reads a page's main text aloud with the browser's own speech (issue 15, people who read little).
   Progressive enhancement: the page holds only an empty <div data-listen-parts>; this script adds the button
   when the browser can speak the text's language, so without JavaScript or speech there is no dead button.
   Each part is spoken in its own language (the nearest lang attribute), so a Dutch original in an
   Arabic page is read with a Dutch voice. */
(function () {
  "use strict";
  var speech = window.speechSynthesis;
  if (!speech || typeof window.SpeechSynthesisUtterance !== "function") return;

  function languageOf(element) {
    var marked = element.closest("[lang]");
    return marked ? marked.getAttribute("lang") : document.documentElement.lang;
  }

  function primary(tag) {
    return String(tag || "").toLowerCase().split(/[-_]/)[0];
  }

  function hasVoice(lang) {
    var wanted = primary(lang);
    return speech.getVoices().some(function (voice) { return primary(voice.lang) === wanted; });
  }

  function setUp(place) {
    var parts = place.getAttribute("data-listen-parts").split(/\s+/)
      .map(function (id) { return document.getElementById(id); })
      .filter(function (element) { return element && element.textContent.trim(); });
    if (!parts.length || !hasVoice(languageOf(parts[0]))) return false;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-secondary listen-button";
    var listen = place.getAttribute("data-label-listen");
    var stop = place.getAttribute("data-label-stop");
    button.textContent = listen;
    var speaking = false;

    function finished() {
      speaking = false;
      button.textContent = listen;
      button.setAttribute("aria-pressed", "false");
    }

    button.addEventListener("click", function () {
      if (speaking) {  // a second press stops
        speech.cancel();
        finished();
        return;
      }
      speech.cancel();
      speaking = true;
      button.textContent = stop;
      button.setAttribute("aria-pressed", "true");
      parts.forEach(function (element, index) {
        var utterance = new window.SpeechSynthesisUtterance(element.textContent.replace(/\s+/g, " ").trim());
        utterance.lang = languageOf(element);
        if (index === parts.length - 1) {
          utterance.onend = finished;
          utterance.onerror = finished;
        }
        speech.speak(utterance);
      });
    });
    button.setAttribute("aria-pressed", "false");
    place.appendChild(button);
    return true;
  }

  function start() {
    var places = document.querySelectorAll("[data-listen-parts]");
    if (!places.length) return;
    var pending = Array.prototype.slice.call(places).filter(function (place) { return !setUp(place); });
    // Many browsers load their voices a moment after the page: try once more when they arrive.
    if (pending.length && typeof speech.addEventListener === "function") {
      speech.addEventListener("voiceschanged", function retry() {
        pending = pending.filter(function (place) { return !place.querySelector("button") && !setUp(place); });
        if (!pending.length) speech.removeEventListener("voiceschanged", retry);
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
