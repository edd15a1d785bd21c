using System.Net.Http.Headers;
using System.Text;
using WaIdentity.IdP.Oidc.ClientAuthentication;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Tokens;

namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// Authenticates the client of a PAR, token, revocation or introspection request: client_secret_basic (RFC 6749
/// 2.3.1, form-urlencoded id and secret), client_secret_post, private_key_jwt (ClientAssertionValidator), or none for
/// public clients. Exactly one method per request, and the one the client is registered for.
/// </summary>
internal sealed class ClientAuthenticator(ClientRegistry clients, ClientAssertionValidator assertions)
{
    public async Task<OidcClient> AuthenticateAsync(HttpRequest request, IFormCollection form, CancellationToken ct)
    {
        var assertionType = Single(form, "client_assertion_type");
        var assertion = Single(form, "client_assertion");
        if (assertionType is not null || assertion is not null)
        {
            if (request.Headers.Authorization.Count > 0 || Single(form, "client_secret") is not null)
                throw TokenError.InvalidRequest("Use one client authentication method, not several.");
            return await assertions.AuthenticateAsync(request, assertionType, assertion, Single(form, "client_id"), ct);
        }
        var (clientId, secret) = Credentials(request, form);
        if (clientId is null) throw TokenError.InvalidClient("Client authentication is missing.");
        var client = await clients.FindAsync(clientId, ct);
        if (client is null) throw TokenError.InvalidClient("Client authentication failed.");
        if (client.IsPublic)
        {
            if (secret is not null) throw TokenError.InvalidClient("Client authentication failed.");
            return client;
        }
        if (secret is null || client.SecretHash is null || !OpaqueToken.Matches(secret, client.SecretHash)) throw TokenError.InvalidClient("Client authentication failed.");
        return client;
    }

    private static (string? ClientId, string? Secret) Credentials(HttpRequest request, IFormCollection form)
    {
        var formId = Single(form, "client_id");
        var formSecret = Single(form, "client_secret");
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) || header.Scheme != "Basic")
            return (formId, formSecret);
        if (formSecret is not null) throw TokenError.InvalidRequest("Use one client authentication method, not several.");
        var (id, secret) = ParseBasic(header.Parameter);
        if (formId is not null && formId != id) throw TokenError.InvalidRequest("client_id does not match the Authorization header.");
        return (id, secret);
    }

    private static (string Id, string Secret) ParseBasic(string? parameter)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter ?? ""));
            var colon = decoded.IndexOf(':');
            if (colon <= 0) throw TokenError.InvalidClient("Malformed Basic credentials.");
            var (id, secret) = (Uri.UnescapeDataString(decoded[..colon].Replace('+', ' ')), Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' ')));
            if (TokenRequestForm.HasControlCharacter(id) || TokenRequestForm.HasControlCharacter(secret)) throw TokenError.InvalidClient("Malformed Basic credentials.");
            return (id, secret);
        }
        catch (FormatException)
        {
            throw TokenError.InvalidClient("Malformed Basic credentials.");
        }
    }

    private static string? Single(IFormCollection form, string name)
    {
        var values = form[name];
        if (values.Count > 1) throw TokenError.InvalidRequest($"The {name} parameter is repeated.");
        return values.Count == 1 && values[0]!.Length > 0 ? values[0] : null;
    }
}
