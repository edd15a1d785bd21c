using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.SendCode;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Gateway;

public sealed record VerificationCodeView(string Id, string Code, string Link, string DeepLink, string Status, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt);

public sealed record VerificationView(string Id, string Status, string? PhoneNumber, string? ProfileName, DateTimeOffset RequestedAt,
    DateTimeOffset? ValidatedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// WhatsAuth-shaped phone verification (scope wa.verify). GET /api/v1/verification_code?callback_url=... gives a code
/// and the wa.me / whatsapp:// links that prefill it; when the user sends it, <see cref="VerificationInbound"/>
/// records the number and the signed callback goes out. GET /api/v1/verification_code/{id} is for polling.
/// </summary>
public sealed class VerificationCodeEndpoint(GatewayAuthenticator auth, GatewayClientSettings clients, CallbackUrlPolicy policy, IdpDbContext db,
    IOptionsMonitor<GatewayOptions> options, IOptionsMonitor<LoginOptions> login, TimeProvider clock)
{
    public const string CodePrefix = "WAV-";
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I

    public async Task<IResult> CreateAsync(HttpContext http, string? callback_url)
    {
        var (caller, denied) = await auth.AuthenticateAsync(http, GatewayScopes.Verify);
        if (caller is null) return denied!;
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
        if (await auth.SpendDailyAsync(http, caller, "verifications", rules.DailyVerificationQuota) is { } over) return over;

        var code = CodePrefix + RandomNumberGenerator.GetString(Alphabet, 8);
        var now = clock.GetUtcNow();
        var row = new PhoneVerification
        {
            Id = Guid.NewGuid().ToString("N"), ClientId = caller.ClientId, CodeHash = SendCodeIssuer.Hash(code),
            CallbackUrl = string.IsNullOrEmpty(callback_url) ? null : callback_url, RequestedAt = now, ExpiresAt = now.AddSeconds(rules.VerificationLifetimeSeconds),
        };
        db.Set<PhoneVerification>().Add(row);
        await db.SaveChangesAsync(http.RequestAborted);
        // The text names the site and the purpose, so a person asked to send it for someone else sees what it does.
        var text = Uri.EscapeDataString($"Verify my number for {rules.SiteName}: {code}");
        var digits = number.TrimStart('+');
        return Results.Json(new VerificationCodeView(row.Id, code, $"https://wa.me/{digits}?text={text}", $"whatsapp://send?phone={digits}&text={text}",
            "pending", row.RequestedAt, row.ExpiresAt), JsonBody.Snake);
    }

    public async Task<IResult> GetAsync(HttpContext http, string id)
    {
        var (caller, denied) = await auth.AuthenticateAsync(http, GatewayScopes.Verify);
        if (caller is null) return denied!;
        var row = await db.Set<PhoneVerification>().AsNoTracking().FirstOrDefaultAsync(v => v.Id == id && v.ClientId == caller.ClientId, http.RequestAborted);
        return row is null ? GatewayProblem.NotFound("No such verification.") : Results.Json(View(row, clock.GetUtcNow()), JsonBody.Snake);
    }

    public static VerificationView View(PhoneVerification v, DateTimeOffset now) =>
        new(v.Id, v.Status(now), v.Phone, v.ProfileName, v.RequestedAt, v.ValidatedAt, v.ExpiresAt);
}
