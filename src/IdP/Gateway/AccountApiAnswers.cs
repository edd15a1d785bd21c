using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Gateway;

/// <summary>Which response shapes the account API writes (<c>Gateway:Account:Compatibility</c>).</summary>
internal enum AccountApiCompatibility
{
    /// <summary>snake_case bodies and RFC 9457 problem details.</summary>
    Default,
    /// <summary>WAPIZ's bodies: <c>ok</c>, <c>role</c>, camelCase (<c>createdAt</c>), errors as <c>{ ok: false, error }</c>.</summary>
    Wapiz,
}

/// <summary>
/// A refusal of the account API before it is worded: the status, the problem type and title, and the resource keys of
/// the text (and of each field's text) that <see cref="AccountApiAnswers"/> puts in the request's language.
/// </summary>
internal sealed record AccountApiError(int Status, string Kind, string Title, string DetailKey, object[]? Args = null,
    IReadOnlyDictionary<string, (string Key, object[]? Args)>? Fields = null, TimeSpan? RetryAfter = null);

/// <summary>
/// Writes the account API's answers in the shape the server is configured for. Error texts follow the request's
/// Accept-Language (English or Bahasa Indonesia, through the request localization middleware) in both shapes.
/// </summary>
internal sealed class AccountApiAnswers(IOptionsMonitor<GatewayOptions> options, IStringLocalizer<SharedResource> t, UserManager<IdpUser> users)
{
    private static readonly System.Text.Json.JsonSerializerOptions Camel = new(System.Text.Json.JsonSerializerDefaults.Web);

    private bool Wapiz => options.CurrentValue.Account.Shape == AccountApiCompatibility.Wapiz;

    public IResult Error(HttpContext http, AccountApiError error)
    {
        if (error.RetryAfter is { } wait) http.Response.Headers.RetryAfter = RetryAfterHeader.Value(wait);
        var detail = Text(error.DetailKey, error.Args);
        var fields = error.Fields?.ToDictionary(f => f.Key, f => new[] { Text(f.Value.Key, f.Value.Args) });
        if (Wapiz)
            return fields is null
                ? Results.Json(new { ok = false, error = detail }, Camel, statusCode: error.Status)
                : Results.Json(new { ok = false, error = detail, errors = fields }, Camel, statusCode: error.Status);
        return GatewayProblem.Write(error.Status, error.Kind, error.Title, detail, fields is null ? null : new Dictionary<string, object?> { ["errors"] = fields });
    }

    /// <summary>After register (201) or login (200): the signed-in user.</summary>
    public async Task<IResult> SignedInAsync(IdpUser user, int status) => Wapiz
        ? Results.Json(new { ok = true, user = new { id = user.Id, name = Name(user), email = user.Email, role = await RoleAsync(user) } }, Camel, statusCode: status)
        : Results.Json(new { user = View(user) }, JsonBody.Snake, statusCode: status);

    /// <summary>GET /me.</summary>
    public async Task<IResult> MeAsync(IdpUser user) => Wapiz
        ? Results.Json(new
        {
            id = user.Id, name = Name(user), email = user.Email, role = await RoleAsync(user), createdAt = user.CreatedAt,
            phoneNumber = user.PhoneNumber, phoneNumberVerified = user.PhoneNumberConfirmed, twoFactorEnabled = user.TwoFactorEnabled,
        }, Camel)
        : Results.Json(View(user), JsonBody.Snake);

    /// <summary>A sign-out: <c>{ "ok": true }</c> in both shapes.</summary>
    public static IResult SignedOut() => Results.Json(new { ok = true });

    private string Text(string key, object[]? args) => args is null ? t[key] : t[key, args];

    private static string? Name(IdpUser u) => u.DisplayName ?? u.UserName;

    /// <summary>WAPIZ's roles are USER and ADMIN; an IdP admin is its ADMIN.</summary>
    private async Task<string> RoleAsync(IdpUser u) => await users.IsInRoleAsync(u, Roles.Admin) ? "ADMIN" : "USER";

    private static AccountView View(IdpUser u) => new(u.Id, Name(u), u.Email, u.PhoneNumber, u.PhoneNumberConfirmed, u.TwoFactorEnabled, u.CreatedAt);
}
