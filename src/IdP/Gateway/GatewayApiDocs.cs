using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using WaIdentity.IdP.Hosting;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// The OpenAPI document (/apidocs/v1/openapi.json) and Swagger UI (/apidocs) for the gateway and account APIs only.
/// Swashbuckle's UI page loads its scripts from files (no inline script), so it runs under the IdP's nonce CSP.
/// </summary>
public static class GatewayApiDocs
{
    public const string DocumentPath = "/apidocs/v1/openapi.json";
    private const string Bearer = "bearer";
    private const string Cookie = "wa_token";

    public static IServiceCollection AddGatewayApiDocs(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(c =>
        {
            c.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "WaIdentity gateway API", Version = "v1",
                Description = "Notifications, WhatsApp phone verification with signed callbacks, inbound webhooks and the account API. " +
                    "Get a bearer token from the token endpoint with grant_type=client_credentials and the scopes wa.send, wa.verify or wa.inbound. " +
                    "Errors are RFC 9457 problem details with a stable type. Webhook signatures: see docs/gateway.md.",
            });
            c.DocInclusionPredicate((_, api) => api.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true);
            c.AddSecurityDefinition(Bearer, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "An access token from /connect/token (client_credentials).",
            });
            c.AddSecurityDefinition(Cookie, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = AccountApiCookie.Name,
                Description = "The session cookie set by /api/auth/register and /api/auth/login.",
            });
            c.OperationFilter<Examples>();
        });
        return services;
    }

    /// <summary>Swagger UI sets one fixed inline style (on its SVG sprite); the CSP allows exactly that one by hash.</summary>
    private const string SwaggerUiStyleHash = "'unsafe-hashes' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

    public static void UseGatewayApiDocs(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/apidocs")) http.AllowStyleHashes(SwaggerUiStyleHash);
            return next(http);
        });
        app.UseSwagger(o => o.RouteTemplate = "apidocs/{documentName}/openapi.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "apidocs";
            o.DocumentTitle = "WaIdentity gateway API";
            o.SwaggerEndpoint(DocumentPath, "Gateway API v1");
        });
    }

    /// <summary>Request examples and the security scheme of each operation.</summary>
    private sealed class Examples : IOperationFilter
    {
        private static readonly Dictionary<string, string> RequestExamples = new()
        {
            ["SendMessage"] = """{ "to": "+6281234567890", "is_group": false, "text": "Your order #1042 has shipped." }""",
            ["Register"] = """{ "name": "Siti Rahma", "email": "siti@example.com", "password": "a long passphrase" }""",
            ["Login"] = """{ "email": "siti@example.com", "password": "a long passphrase" }""",
        };

        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var path = context.ApiDescription.RelativePath ?? "";
            var scheme = path.StartsWith("api/v1/", StringComparison.Ordinal) ? Bearer : path.StartsWith("api/auth/me", StringComparison.Ordinal) ? Cookie : null;
            if (scheme is not null)
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];
            if (operation.OperationId is { } id && RequestExamples.TryGetValue(id, out var example) && operation.RequestBody?.Content is { } content
                && content.TryGetValue("application/json", out var media))
                media.Example = JsonNode.Parse(example);
        }
    }
}
