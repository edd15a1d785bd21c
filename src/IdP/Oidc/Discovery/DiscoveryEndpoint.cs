using System.Collections.Concurrent;
using System.Text.Json;
using WaIdentity.IdP.Hosting;
using WaIdentity.IdP.Oidc.ClientAuthentication;
using WaIdentity.IdP.Oidc.Dpop;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Oidc.Discovery;

/// <summary>
/// GET /.well-known/openid-configuration (OIDC Discovery 1.0, RFC 8414): exactly what this server supports. The JSON
/// is built once per issuer and cached in memory; clients may cache it for an hour.
/// </summary>
internal sealed class DiscoveryEndpoint(IssuerResolver issuers, IEnumerable<ApiScopes> apiScopes)
{
    private readonly ConcurrentDictionary<string, string> cache = new();
    private readonly string[] scopes = [.. OidcConstants.IdentityScopes, .. apiScopes.SelectMany(a => a.Names)];

    public IResult Handle(HttpContext http)
    {
        var issuer = issuers.Resolve(http);
        var json = cache.GetOrAdd(issuer, Build);
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Text(json, "application/json");
    }

    private string Build(string issuer) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["issuer"] = issuer,
        ["authorization_endpoint"] = issuer + OidcConstants.AuthorizePath,
        ["token_endpoint"] = issuer + OidcConstants.TokenPath,
        ["pushed_authorization_request_endpoint"] = issuer + OidcConstants.PushedAuthorizationPath,
        ["require_pushed_authorization_requests"] = false,
        ["device_authorization_endpoint"] = issuer + OidcConstants.DeviceAuthorizationPath,
        ["userinfo_endpoint"] = issuer + OidcConstants.UserInfoPath,
        ["jwks_uri"] = issuer + OidcConstants.JwksPath,
        ["end_session_endpoint"] = issuer + OidcConstants.EndSessionPath,
        ["revocation_endpoint"] = issuer + OidcConstants.RevocationPath,
        ["introspection_endpoint"] = issuer + OidcConstants.IntrospectionPath,
        ["scopes_supported"] = scopes,
        ["response_types_supported"] = new[] { "code" },
        ["response_modes_supported"] = new[] { "query", "form_post" },
        ["grant_types_supported"] = OidcConstants.GrantTypes,
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { OidcConstants.ES256, OidcConstants.RS256 },
        ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "private_key_jwt", "none" },
        ["token_endpoint_auth_signing_alg_values_supported"] = ClientAssertionValidator.Algorithms,
        ["revocation_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "private_key_jwt", "none" },
        ["revocation_endpoint_auth_signing_alg_values_supported"] = ClientAssertionValidator.Algorithms,
        ["introspection_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "private_key_jwt" },
        ["introspection_endpoint_auth_signing_alg_values_supported"] = ClientAssertionValidator.Algorithms,
        ["code_challenge_methods_supported"] = new[] { "S256" },
        ["dpop_signing_alg_values_supported"] = DpopProofValidator.Algorithms,
        ["claims_supported"] = new[] { "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid", "azp", "at_hash",
            "name", "preferred_username", "email", "email_verified", "phone_number", "phone_number_verified" },
        ["acr_values_supported"] = AuthenticationLevels.Supported,
        ["prompt_values_supported"] = new[] { "none", "login", "consent", "select_account" },
        ["ui_locales_supported"] = IdpApp.SupportedCultures,
        ["claims_parameter_supported"] = false,
        ["request_parameter_supported"] = false,
        ["request_uri_parameter_supported"] = false,
        ["authorization_response_iss_parameter_supported"] = true,
        ["backchannel_logout_supported"] = true,
        ["backchannel_logout_session_supported"] = true,
        ["frontchannel_logout_supported"] = false,
    });
}
