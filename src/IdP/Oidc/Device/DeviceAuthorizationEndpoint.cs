using System.Globalization;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.Phones;
using WaIdentity.IdP.Hosting;
using WaIdentity.IdP.Oidc.Grants;

namespace WaIdentity.IdP.Oidc.Device;

/// <summary>
/// POST /connect/device (RFC 8628 3.1, 3.2): the client authenticates as at the token endpoint (a public client sends
/// its client_id) and must be allowed the device_code grant. The answer: device_code, user_code, verification_uri
/// (the /device page), verification_uri_complete (the same with the code, for a QR code), expires_in and interval.
/// With <c>login_hint</c> set to a phone number in international form (<c>+6281234567890</c>) the account holding that
/// number is also asked to approve over WhatsApp (<see cref="DeviceApprovalQuestion"/>); the answer does not say
/// whether it was. Errors are token-endpoint style JSON.
/// </summary>
internal sealed class DeviceAuthorizationEndpoint(
    ClientAuthenticator authenticator, TokenRateLimiter limiter, DeviceAuthorizationStore store, DeviceApprovalQuestion question, IssuerResolver issuers)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        try
        {
            var form = await TokenRequestForm.ReadAsync(http.Request, ct);
            if (form.FirstOrDefault(p => p.Value.Count > 1).Key is { } repeated) throw TokenError.InvalidRequest($"The {repeated} parameter is repeated.");
            var client = await authenticator.AuthenticateAsync(http.Request, form, ct);
            if (limiter.Hit(client.ClientId) is var wait and > 0)
            {
                http.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
                throw new TokenError("invalid_request", "Too many requests for this client; retry later.", StatusCodes.Status429TooManyRequests);
            }
            if (!client.GrantTypeList.Contains(OidcConstants.GrantDeviceCode)) throw TokenError.UnauthorizedClient("The client may not use the device authorization grant.");
            var scope = Scope(form["scope"].ToString(), client.ScopeList);
            var phone = Phone(form["login_hint"].ToString());
            var locale = Locale(form["ui_locales"].ToString());

            var created = await store.CreateAsync(client.ClientId, scope, locale, http.Connection.RemoteIpAddress?.ToString(), ct);
            if (phone is not null)
                await question.AskAsync(created.Row, created.UserCode, client.DisplayName, client.RequireSecondFactor, phone, ClientIp.Of(http), ct);

            var verification = issuers.Resolve(http) + OidcConstants.DeviceVerificationPath;
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.Pragma = "no-cache";
            return Results.Json(new Dictionary<string, object>
            {
                ["device_code"] = created.DeviceCode, ["user_code"] = created.UserCode, ["verification_uri"] = verification,
                ["verification_uri_complete"] = $"{verification}?user_code={created.UserCode}",
                ["expires_in"] = (int)(created.Row.ExpiresAt - created.Row.CreatedAt).TotalSeconds, ["interval"] = created.Row.IntervalSeconds,
            });
        }
        catch (TokenError e)
        {
            return e.ToResult(http);
        }
    }

    /// <summary>The requested scopes, all of which the client must hold; openid when none are asked for.</summary>
    private static string Scope(string requested, IReadOnlyList<string> allowed)
    {
        var asked = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
        if (asked.Length == 0) asked = [OidcConstants.ScopeOpenId];
        if (asked.FirstOrDefault(s => !allowed.Contains(s)) is { } extra) throw TokenError.InvalidScope($"The client may not request the scope '{extra}'.");
        return string.Join(' ', asked);
    }

    /// <summary>login_hint, when given, is the phone to ask on WhatsApp, in international form.</summary>
    private static string? Phone(string hint)
    {
        if (hint.Length == 0) return null;
        var read = PhoneNumberNormalizer.Normalize(hint, "ZZ");
        return read.Ok ? read.E164 : throw TokenError.InvalidRequest("login_hint must be a phone number in international form, like +6281234567890.");
    }

    /// <summary>The language of the WhatsApp question: the first supported of ui_locales, else the request's.</summary>
    private static string Locale(string uiLocales) =>
        uiLocales.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(tag => tag.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(IdpApp.SupportedCultures.Contains) ?? CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
}
