using System.Net.Http.Headers;
using System.Text;
using WaIdentity.IdP.Oidc.ClientAuthentication;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Tokens;

namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// Authenticates the client of a PAR, token, revocation, introspection or device authorization request:
/// client_secret_basic (RFC 6749 2.3.1, form-urlencoded id and secret), client_secret_post, private_key_jwt
/// (ClientAssertionValidator), or none for public clients. Exactly one method per request, and the one the client is
/// registered for.
/// </summary>
internal sealed class ClientAuthenticator(ClientRegistry clients, ClientAssertionValidator assertions)
{
    private static readonly OAuthError OneMethod = OAuthError.InvalidRequest("Use one client authentication method, not several.");
    private static readonly OAuthError Failed = OAuthError.InvalidClient("Client authentication failed.");
    private static readonly OAuthError Malformed = OAuthError.InvalidClient("Malformed Basic credentials.");

    public async Task<Check<OidcClient, OAuthError>> AuthenticateAsync(HttpRequest request, IFormCollection form, CancellationToken ct)
    {
        if (TokenRequestForm.Repeated(form, "client_assertion_type", "client_assertion") is { } repeated) return repeated;
        var assertionType = Single(form, "client_assertion_type");
        var assertion = Single(form, "client_assertion");
        if (assertionType is null && assertion is null) return await SecretAsync(request, form, ct);
        if (AssertionAlone(request, form) is { } refused) return refused;
        return await assertions.AuthenticateAsync(request, assertionType, assertion, Single(form, "client_id"), ct);
    }

    /// <summary>A client assertion comes without a secret, in the form or the Authorization header.</summary>
    private static OAuthError? AssertionAlone(HttpRequest request, IFormCollection form)
    {
        if (request.Headers.Authorization.Count > 0) return OneMethod;
        if (TokenRequestForm.Repeated(form, "client_secret") is { } repeated) return repeated;
        return Single(form, "client_secret") is null ? TokenRequestForm.Repeated(form, "client_id") : OneMethod;
    }

    private async Task<Check<OidcClient, OAuthError>> SecretAsync(HttpRequest request, IFormCollection form, CancellationToken ct)
    {
        var credentials = Credentials(request, form);
        if (!credentials.Passed) return credentials.Error;
        var (clientId, secret) = credentials.Value;
        if (clientId is null) return OAuthError.InvalidClient("Client authentication is missing.");
        var client = await clients.FindAsync(clientId, ct);
        if (client is null || !SecretMatches(client, secret)) return Failed;
        return client;
    }

    /// <summary>A public client sends no secret; a confidential one sends its own.</summary>
    private static bool SecretMatches(OidcClient client, string? secret) => client.IsPublic
        ? secret is null
        : secret is not null && client.SecretHash is not null && OpaqueToken.Matches(secret, client.SecretHash);

    private static Check<(string? ClientId, string? Secret), OAuthError> Credentials(HttpRequest request, IFormCollection form)
    {
        if (TokenRequestForm.Repeated(form, "client_id", "client_secret") is { } repeated) return repeated;
        var formId = Single(form, "client_id");
        var formSecret = Single(form, "client_secret");
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) || header.Scheme != "Basic")
            return (formId, formSecret);
        if (formSecret is not null) return OneMethod;
        var basic = ParseBasic(header.Parameter);
        if (!basic.Passed) return basic.Error;
        if (formId is not null && formId != basic.Value.Id) return OAuthError.InvalidRequest("client_id does not match the Authorization header.");
        return basic.Value;
    }

    private static Check<(string? Id, string? Secret), OAuthError> ParseBasic(string? parameter)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter ?? ""));
            var colon = decoded.IndexOf(':');
            if (colon <= 0) return Malformed;
            var (id, secret) = (Uri.UnescapeDataString(decoded[..colon].Replace('+', ' ')), Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' ')));
            if (TokenRequestForm.HasControlCharacter(id) || TokenRequestForm.HasControlCharacter(secret)) return Malformed;
            return (id, secret);
        }
        catch (FormatException)
        {
            return Malformed;
        }
    }

    /// <summary>The parameter's one value (the caller has refused repeats), or null when absent or empty.</summary>
    private static string? Single(IFormCollection form, string name)
    {
        var values = form[name];
        return values.Count == 1 && values[0]!.Length > 0 ? values[0] : null;
    }
}
