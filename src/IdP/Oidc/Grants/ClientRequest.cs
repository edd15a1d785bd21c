using WaIdentity.IdP.Oidc.Clients;

namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>The form of a request to the token, introspection, revocation, PAR or device authorization endpoint, and the
/// client that sent it.</summary>
internal sealed record ClientRequest(IFormCollection Form, OidcClient Client);

/// <summary>The first steps of every OAuth endpoint a client calls: read the form, authenticate the client
/// (<see cref="ClientAuthenticator"/>) and, where the endpoint has it, count the request against the client's
/// per-minute limit (<see cref="TokenRateLimiter"/>).</summary>
internal sealed class ClientRequestReader(ClientAuthenticator authenticator, TokenRateLimiter limiter)
{
    /// <param name="everyParameterOnce">Refuse any repeated parameter before authenticating (token and device
    /// authorization endpoints); otherwise only the client's credentials must not repeat.</param>
    /// <param name="overLimit">The description of the 429 when the client is over its limit; null where the endpoint
    /// has no limit (introspection, revocation).</param>
    public async Task<Check<ClientRequest, OAuthError>> ReadAsync(HttpRequest request, bool everyParameterOnce, string? overLimit, CancellationToken ct)
    {
        var form = await TokenRequestForm.ReadAsync(request, ct);
        if (!form.Passed) return form.Error;
        if (everyParameterOnce && TokenRequestForm.Repeated(form.Value) is { } repeated) return repeated;
        var client = await authenticator.AuthenticateAsync(request, form.Value, ct);
        if (!client.Passed) return client.Error;
        if (overLimit is not null && limiter.Refusal(client.Value.ClientId, overLimit) is { } limited) return limited;
        return new ClientRequest(form.Value, client.Value);
    }
}
