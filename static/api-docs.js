// Starts Swagger UI on the API docs page. Kept in a file (not inline) for the Content-Security-Policy.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var csrf = document.querySelector('meta[name="csrf-token"]');
  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    // Try-it-out runs as the logged-in browser user: send the session's CSRF token on writes.
    requestInterceptor: function (request) {
      if (csrf && request.method && request.method.toUpperCase() !== "GET") {
        request.headers["X-CSRFToken"] = csrf.getAttribute("content");
      }
      return request;
    }
  });
})();
