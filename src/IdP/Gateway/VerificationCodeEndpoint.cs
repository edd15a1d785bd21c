using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.SendCode;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Gateway;

/// <summary>A new verification. It leads with <c>type</c> and its <c>value</c> (the code, the wa.me link or the
/// whatsapp:// deep link, as asked with ?type=), then every form, so an app shows what it asked for.</summary>
internal sealed record VerificationCodeView(string Type, string Value, string Id, string Code, string Link, string DeepLink, string Status,
    DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt);

internal sealed record VerificationView(string Id, string Status, string? PhoneNumber, string? ProfileName, DateTimeOffset RequestedAt,
    DateTimeOffset? ValidatedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// WhatsAuth-shaped phone verification (scope wa.verify). GET /api/v1/verification_code?callback_url=... gives a code
/// and the wa.me / whatsapp:// links that prefill it; when the user sends it, <see cref="VerificationInbound"/>
/// records the number and the signed callback goes out. GET /api/v1/verification_code/{id} is for polling.
/// </summary>
internal sealed class VerificationCodeEndpoint(GatewayAuthenticator auth, GatewayClientSettings clients, CallbackUrlPolicy policy, IdpDbContext db,
    SentCodeChallenges challenges, IOptionsMonitor<GatewayOptions> options, IOptionsMonitor<LoginOptions> login, TimeProvider clock)
{
    public const string CodePrefix = "WAV-";

    /// <summary>The values of ?type= (WhatsAuth's): what the answer leads with.</summary>
    public static readonly string[] Types = ["code", "link", "deep_link"];

    public async Task<IResult> CreateAsync(HttpContext http, string? callback_url, string? type)
    {
        var authenticated = await auth.AuthenticateAsync(http, GatewayScopes.Verify);
        if (!authenticated.Passed) return GatewayProblem.Denied(http, authenticated.Error);
        var caller = authenticated.Value;
        if (await ForeignOriginAsync(http, caller) is { } foreign) return GatewayProblem.Denied(http, foreign);
        type = string.IsNullOrEmpty(type) ? "code" : type;
        if (!Types.Contains(type))
            return GatewayProblem.Invalid("type must be code, link or deep_link.", new Dictionary<string, string[]> { ["type"] = ["type must be code, link or deep_link."] });
        var rules = options.CurrentValue;
        var number = rules.BusinessNumber is { Length: > 0 } n ? n : login.CurrentValue.SendCode.BusinessNumber;
        if (string.IsNullOrEmpty(number))
            return GatewayProblem.Unavailable("verification-unavailable", "Phone verification is not configured", "The server has no business WhatsApp number (Gateway:BusinessNumber).");
        if (!string.IsNullOrEmpty(callback_url))
        {
            var settings = await clients.FindAsync(caller.ClientId, http.RequestAborted);
            if (await policy.CheckAsync(callback_url, settings?.CallbackOriginList ?? [], http.RequestAborted) is { } refused)
                return GatewayProblem.Invalid(refused, new Dictionary<string, string[]> { ["callback_url"] = [refused] });
        }
        if (await auth.SpendDailyAsync(http, caller, DailyQuota.Verifications) is { } over) return GatewayProblem.Denied(http, over);

        var row = new PhoneVerification { ClientId = caller.ClientId, CallbackUrl = string.IsNullOrEmpty(callback_url) ? null : callback_url };
        var code = await challenges.IssueAsync(row, CodePrefix, TimeSpan.FromSeconds(rules.VerificationLifetimeSeconds), http.RequestAborted);
        // The text names the site and the purpose, so a person asked to send it for someone else sees what it does.
        var (link, deepLink) = SentCode.Links(number, $"Verify my number for {rules.SiteName}: {code}");
        var value = type switch { "link" => link, "deep_link" => deepLink, _ => code };
        return Results.Json(new VerificationCodeView(type, value, row.Id, code, link, deepLink, "pending", row.CreatedAt, row.ExpiresAt), JsonBody.Snake);
    }

    /// <summary>A browser call (it has an Origin) from an origin the calling client did not register: refused, so a
    /// client's token or key cannot be used from another client's pages (the CORS preflight cannot tell them apart).</summary>
    private async Task<GatewayDenial.ForeignOrigin?> ForeignOriginAsync(HttpContext http, GatewayCaller caller)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return null;
        var settings = await clients.FindAsync(caller.ClientId, http.RequestAborted);
        return settings?.CallbackOriginList.Contains(origin, StringComparer.Ordinal) == true ? null : new GatewayDenial.ForeignOrigin(origin);
    }

    public async Task<IResult> GetAsync(HttpContext http, string id)
    {
        var authenticated = await auth.AuthenticateAsync(http, GatewayScopes.Verify);
        if (!authenticated.Passed) return GatewayProblem.Denied(http, authenticated.Error);
        var caller = authenticated.Value;
        if (await ForeignOriginAsync(http, caller) is { } foreign) return GatewayProblem.Denied(http, foreign);
        var row = await db.Set<PhoneVerification>().AsNoTracking().FirstOrDefaultAsync(v => v.Id == id && v.ClientId == caller.ClientId, http.RequestAborted);
        return row is null ? GatewayProblem.NotFound("No such verification.") : Results.Json(View(row, clock.GetUtcNow()), JsonBody.Snake);
    }

    public static VerificationView View(PhoneVerification v, DateTimeOffset now) =>
        new(v.Id, v.Status(now), v.ProvenPhone, v.ProfileName, v.CreatedAt, v.ProvenAt, v.ExpiresAt);
}
