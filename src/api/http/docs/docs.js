// Swagger UI on this service's own OpenAPI document. A file of its own, not an inline
// script: the docs page's content-security policy runs scripts from this server only.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  deepLinking: true,
});
