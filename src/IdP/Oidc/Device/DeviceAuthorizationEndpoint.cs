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
    ClientRequestReader requests, DeviceAuthorizationStore store, DeviceApprovalQuestion question, IssuerResolver issuers)
{
    public async Task<IResult> HandleAsync(HttpContext http) => OAuthErrorResponse.Answer(http, await AnswerAsync(http, http.RequestAborted));

    private async Task<Check<IResult, OAuthError>> AnswerAsync(HttpContext http, CancellationToken ct)
    {
        var request = await requests.ReadAsync(http.Request, everyParameterOnce: true, overLimit: "Too many requests for this client; retry later.", ct);
        if (!request.Passed) return request.Error;
        var (form, client) = request.Value;
        if (!client.GrantTypeList.Contains(OidcConstants.GrantDeviceCode)) return OAuthError.UnauthorizedClient("The client may not use the device authorization grant.");
        var scope = Scope(form["scope"].ToString(), client.ScopeList);
        if (!scope.Passed) return scope.Error;
        var phone = Phone(form["login_hint"].ToString());
        if (!phone.Passed) return phone.Error;
        var locale = Locale(form["ui_locales"].ToString());

        var created = await store.CreateAsync(client.ClientId, scope.Value, locale, http.Connection.RemoteIpAddress?.ToString(), ct);
        if (phone.Value is { } number)
            await question.AskAsync(created.Row, created.UserCode, client.DisplayName, client.RequireSecondFactor, number, ClientIp.Of(http), ct);
        return Issued(http, created);
    }

    private Check<IResult, OAuthError> Issued(HttpContext http, NewDeviceAuthorization created)
    {
        var verification = issuers.Resolve(http) + OidcConstants.DeviceVerificationPath;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        return Check<IResult, OAuthError>.Pass(Results.Json(new Dictionary<string, object>
        {
            ["device_code"] = created.DeviceCode, ["user_code"] = created.UserCode, ["verification_uri"] = verification,
            ["verification_uri_complete"] = $"{verification}?user_code={created.UserCode}",
            ["expires_in"] = (int)(created.Row.ExpiresAt - created.Row.CreatedAt).TotalSeconds, ["interval"] = created.Row.IntervalSeconds,
        }));
    }

    /// <summary>The requested scopes, all of which the client must hold; openid when none are asked for.</summary>
    private static Check<string, OAuthError> Scope(string requested, IReadOnlyList<string> allowed)
    {
        var asked = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
        if (asked.Length == 0) asked = [OidcConstants.ScopeOpenId];
        if (asked.FirstOrDefault(s => !allowed.Contains(s)) is { } extra) return OAuthError.InvalidScope($"The client may not request the scope '{extra}'.");
        return string.Join(' ', asked);
    }

    /// <summary>login_hint, when given, is the phone to ask on WhatsApp, in international form; a null value when not given.</summary>
    private static Check<string?, OAuthError> Phone(string hint)
    {
        if (hint.Length == 0) return Check<string?, OAuthError>.Pass(null);
        var read = PhoneNumberNormalizer.Normalize(hint, "ZZ");
        return read.Ok ? read.E164 : OAuthError.InvalidRequest("login_hint must be a phone number in international form, like +6281234567890.");
    }

    /// <summary>The language of the WhatsApp question: the first supported of ui_locales, else the request's.</summary>
    private static string Locale(string uiLocales) =>
        uiLocales.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(tag => tag.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(IdpApp.SupportedCultures.Contains) ?? CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
}
