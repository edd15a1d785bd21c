using Microsoft.AspNetCore.WebUtilities;
using WaIdentity.IdP.Oidc.Authorize;
using WaIdentity.IdP.Oidc.Clients;

namespace WaIdentity.IdP.Oidc.Interaction;

/// <summary>Reads the pending authorization request behind a login page's returnUrl (<c>/connect/authorize?request_id=...</c>).</summary>
internal sealed class LoginRequestContextReader(PendingAuthorizationStore pending, ClientRegistry clients) : ILoginRequestContextReader
{
    public async Task<LoginRequestContext?> ReadAsync(string returnUrl, CancellationToken ct = default)
    {
        var q = returnUrl.IndexOf('?');
        if (q < 0 || returnUrl[..q] != OidcConstants.AuthorizePath) return null;
        var id = QueryHelpers.ParseQuery(returnUrl[q..]).TryGetValue("request_id", out var v) ? v.ToString() : "";
        if (id.Length == 0 || await pending.FindAsync(id, ct) is not { } found) return null;
        var client = await clients.FindAsync(found.Row.ClientId, ct);
        var r = found.Request;
        return new LoginRequestContext(found.Row.ClientId, client?.DisplayName ?? found.Row.ClientId, r.LoginHint, r.AcrValues, r.UiLocales,
            client?.RequireSecondFactor ?? false, r.Prompt, r.MaxAge, found.Row.LoginRequestedAt);
    }
}
