using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using WaIdentity.IdP.Hosting;
using WaIdentity.IdP.Oidc;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// The OpenAPI document (/apidocs/v1/openapi.json) and Swagger UI (/apidocs) for the gateway and account APIs only.
/// Swashbuckle's UI page loads its scripts from files (no inline script), so it runs under the IdP's nonce CSP.
/// </summary>
internal static class GatewayApiDocs
{
    public const string DocumentPath = "/apidocs/v1/openapi.json";
    private const string Bearer = "bearer";
    private const string Cookie = "wa_token";
    private const string OAuth2 = "oauth2";
    private const string TokenHeader = "token";
    /// <summary>Stands in for the token URL until each request names its issuer (<see cref="UseGatewayApiDocs"/>).</summary>
    private const string TokenUrlPlaceholder = "https://issuer.invalid/connect/token";

    public static IServiceCollection AddGatewayApiDocs(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(c =>
        {
            c.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "WaIdentity gateway API", Version = "v1",
                Description = "Notifications, WhatsApp phone verification with signed callbacks, inbound webhooks and the account API. " +
                    "Get a bearer token from the token endpoint with grant_type=client_credentials and the scopes wa.send, wa.verify, wa.inbound or wa.device. " +
                    "Errors are RFC 9457 problem details with a stable type. Webhook signatures: see docs/gateway.md.",
            });
            c.DocInclusionPredicate((_, api) => api.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true);
            c.AddSecurityDefinition(Bearer, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "An access token from /connect/token (client_credentials).",
            });
            // Swagger UI's "Authorize" fetches a token itself with this flow (client id and secret typed in the dialog).
            c.AddSecurityDefinition(OAuth2, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.OAuth2,
                Description = "A token from the token endpoint with grant_type=client_credentials: pick the scopes your client was given.",
                Flows = new OpenApiOAuthFlows
                {
                    ClientCredentials = new OpenApiOAuthFlow
                    {
                        TokenUrl = new Uri(TokenUrlPlaceholder),
                        Scopes = new Dictionary<string, string>
                        {
                            ["wa.send"] = "send WhatsApp messages", ["wa.verify"] = "verify phone numbers",
                            ["wa.inbound"] = "receive messages sent to the business number",
                            ["wa.device"] = "manage the linked WhatsApp device: status, QR, pairing code, start/stop/restart/logout, screenshot",
                        },
                    },
                },
            });
            c.AddSecurityDefinition(TokenHeader, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = GatewayAuthenticator.TokenHeaderName,
                Description = "WhatsAuth's header: the same access token (or API key) as the bearer, for apps written for WhatsAuth.",
            });
            c.AddSecurityDefinition(Cookie, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = AccountApiCookie.Name,
                Description = "The session cookie set by /api/auth/register and /api/auth/login.",
            });
            c.OperationFilter<Examples>();
            c.DocumentFilter<WebhookPayloads>();
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
        app.UseSwagger(o =>
        {
            o.RouteTemplate = "apidocs/{documentName}/openapi.json";
            // The token URL is the issuer's token endpoint, which depends on the request when no issuer is configured.
            o.PreSerializeFilters.Add((doc, request) =>
            {
                if (doc.Components?.SecuritySchemes?.TryGetValue(OAuth2, out var scheme) == true && scheme.Flows?.ClientCredentials is { } flow)
                    flow.TokenUrl = new Uri(request.HttpContext.RequestServices.GetRequiredService<IssuerResolver>().Resolve(request.HttpContext) + OidcConstants.TokenPath);
            });
        });
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
            ["WhatsAuthSendText"] = """{ "to": "6281234567890", "isgroup": false, "messages": "Your order #1042 has shipped." }""",
            ["WhatsAuthSendTextV1"] = """{ "to": "6281234567890", "isgroup": false, "messages": "Your order #1042 has shipped." }""",
            ["Register"] = """{ "name": "Siti Rahma", "email": "siti@example.com", "password": "a long passphrase" }""",
            ["Login"] = """{ "email": "siti@example.com", "password": "a long passphrase" }""",
        };

        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var path = context.ApiDescription.RelativePath ?? "";
            var scheme = path.StartsWith("api/v1/", StringComparison.Ordinal) || IsWhatsAuthSend(path) ? Bearer : path.StartsWith("api/auth/me", StringComparison.Ordinal) ? Cookie : null;
            if (scheme == Bearer)
                // Either a token pasted as a bearer or one Swagger UI fetched through the client-credentials flow.
                operation.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OAuth2, context.Document)] = ScopeOf(path) },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(TokenHeader, context.Document)] = [] },
                ];
            else if (scheme is not null)
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];
            if (operation.OperationId is { } id && RequestExamples.TryGetValue(id, out var example) && operation.RequestBody?.Content is { } content
                && content.TryGetValue("application/json", out var media) && media is OpenApiMediaType editable)
            {
                editable.Example = JsonNode.Parse(example);
                // Both shapes a send accepts: this API's and WhatsAuth's (its field names are aliases).
                if (id == "SendMessage")
                    editable.Examples = new Dictionary<string, IOpenApiExample>
                    {
                        ["waidentity"] = new OpenApiExample { Summary = "This API's names", Value = JsonNode.Parse(example) },
                        ["whatsauth"] = new OpenApiExample { Summary = "WhatsAuth's names (isgroup, message)", Value = JsonNode.Parse(
                            """{ "to": "6281234567890", "isgroup": false, "message": "Your order #1042 has shipped." }""") },
                    };
            }
        }
    }

    /// <summary>The scope an /api/v1 operation needs, so Swagger UI asks for it and the document names it.</summary>
    private static List<string> ScopeOf(string path) =>
        path.StartsWith("api/v1/device", StringComparison.Ordinal) ? [GatewayScopes.Device]
        : path.StartsWith("api/v1/messages", StringComparison.Ordinal) || IsWhatsAuthSend(path) ? [GatewayScopes.Send]
        : path.StartsWith("api/v1/verification_code", StringComparison.Ordinal) ? [GatewayScopes.Verify] : [];

    private static bool IsWhatsAuthSend(string path) => path is "api/v2/send/message/text" or "api/send/message/text";

    /// <summary>What WaIdentity POSTs to an app (not operations an app calls, so described as schemas): the
    /// verification callback and the inbound message, each signed as docs/gateway.md says.</summary>
    private sealed class WebhookPayloads : IDocumentFilter
    {
        public void Apply(OpenApiDocument doc, DocumentFilterContext context)
        {
            doc.Components ??= new OpenApiComponents();
            doc.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            doc.Components.Schemas["VerificationCallback"] = Object(
                "POSTed to the callback_url given to GET /api/v1/verification_code once the user sent the code from WhatsApp " +
                "(header X-WaIdentity-Event: verification). Signed: X-WaIdentity-Timestamp and X-WaIdentity-Signature = " +
                "v1= + hex HMAC-SHA256(webhook secret, \"{timestamp}.{raw body}\"); X-WaIdentity-Delivery is the same across retries.",
                ("id", "the verification's id, as returned when it was requested", null),
                ("status", "validated", null),
                ("verification_code", "the code the user sent", null),
                ("phone_number", "the sender's number, E.164", null),
                ("profile_name", "the name the user chose on WhatsApp: untrusted text, encode it when shown", null),
                ("requested_at", "when the verification was requested", "date-time"),
                ("validated_at", "when the code arrived", "date-time"),
                ("expires_at", "when the code would have expired", "date-time"),
                ("error", "WhatsAuth's field: null when the number was verified", null));
            // WhatsAuth's list of verified numbers: here the one sender.
            ((OpenApiSchema)doc.Components.Schemas["VerificationCallback"]).Properties!["authorized_numbers"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String },
                Description = "WhatsAuth's field: the numbers that proved themselves (the sender's, E.164)",
            };
            doc.Components.Schemas["InboundMessage"] = Object(
                "POSTed to the client's webhook URL (clients with the wa.inbound scope) for a message to the business number " +
                "that no login or verification claimed (header X-WaIdentity-Event: inbound). Signed like VerificationCallback.",
                ("id", "WhatsApp's message id", null),
                ("from", "the sender's number, E.164", null),
                ("profile_name", "the sender's WhatsApp name: untrusted text", null),
                ("text", "the message text", null),
                ("sent_at", "when the sender sent it", "date-time"));
        }

        private static OpenApiSchema Object(string description, params (string Name, string Description, string? Format)[] fields) => new()
        {
            Type = JsonSchemaType.Object, Description = description,
            Properties = fields.ToDictionary(f => f.Name, f => (IOpenApiSchema)new OpenApiSchema
            {
                Type = JsonSchemaType.String, Format = f.Format, Description = f.Description,
            }),
        };
    }
}
