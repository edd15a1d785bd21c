using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.IdP.Users;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>
/// Sends a code for a login flow: first code, resend and "send by SMS instead" alike. Earlier codes of the flow
/// stay valid. Limits: the flow's growing cooldown, then per phone and per IP per hour.
/// </summary>
public sealed class OtpIssuer(
    IdpDbContext db,
    ICodeSender sender,
    OtpCodeHasher hasher,
    ResendCooldown cooldown,
    FixedWindowLimiter limiter,
    IOptionsMonitor<LoginOptions> options,
    TimeProvider clock,
    ILogger<OtpIssuer> log)
{
    public Task<SendOutcome> SendAsync(LoginFlow flow, HttpContext http, bool bySms, CancellationToken ct = default) =>
        SendAsync(flow, http, bySms, "login", ct);

    /// <param name="purpose">"login", or e.g. "mfa" / "phone-change": those go to a phone the user already holds or
    /// chose while signed in, so they are sent whether or not an account has that phone.</param>
    public async Task<SendOutcome> SendAsync(LoginFlow flow, HttpContext http, bool bySms, string purpose, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var wait = await cooldown.RemainingAsync(flow, ct);
        if (wait > TimeSpan.Zero) return SendOutcome.Refused("Login_ResendWait", wait);

        var testNumber = o.TestNumbers.Matches(flow.Phone);
        var choice = testNumber
            ? new ChannelChoice(o.DeliveryPolicy, bySms ? ChannelKind.Sms : null, null, null)
            : ChannelChoice.Resolve(o.DeliveryPolicy, sender.Availability, bySms);
        if (choice.ErrorKey is not null) return SendOutcome.Refused(choice.ErrorKey);

        if (await LimitedAsync(flow.Phone, http, ct) is { } retry) return SendOutcome.Refused("Login_TooManyCodes", retry);

        var code = testNumber ? o.TestNumbers.FixedCode! : OtpCodeHasher.NewCode(o.Otp.CodeLength);
        var challenge = NewChallenge(flow, code, choice.AmrChannel);
        // No account and no self-registration: nothing may reach that phone, yet a prober must not tell the cases
        // apart by answer or by time, so the code still takes the whole path, only suppressed like a test number's.
        var deliver = purpose != "login" || o.AutoRegister || await HasAccountAsync(flow.Phone, ct);
        var request = new CodeRequest(flow.Phone, code, purpose, Locale(), choice.Policy, choice.Preferred, testNumber || !deliver, ClientIp.Of(http));
        try
        {
            challenge.MessageId = (await sender.SendCodeAsync(request, ct)).ToString();
        }
        catch (CodeSendRefusedException e)
        {
            log.LogWarning("Login code refused by the channel: {Reason}", e.Reason);
            return SendOutcome.Refused(RefusalKey(e.Reason));
        }
        db.Set<OtpChallenge>().Add(challenge);
        await db.SaveChangesAsync(ct);
        log.LogInformation("Login code {ChallengeId} queued via {Channel}{Test}", challenge.Id, choice.AmrChannel, testNumber ? " (test number, suppressed)" : deliver ? "" : " (no account, suppressed)");
        return new SendOutcome(true, NoticeKey: choice.NoticeKey);
    }

    private OtpChallenge NewChallenge(LoginFlow flow, string code, string channel)
    {
        var now = clock.GetUtcNow();
        var id = Guid.NewGuid().ToString("N");
        return new OtpChallenge
        {
            Id = id, FlowHash = flow.Hash, Phone = flow.Phone, CodeHash = hasher.Hash(id, code), RequestedChannel = channel,
            CreatedAt = now, ExpiresAt = now.AddSeconds(options.CurrentValue.Otp.LifetimeSeconds),
        };
    }

    /// <summary>Counts the send against the phone and the client IP; the wait when either is over its limit.</summary>
    private async Task<TimeSpan?> LimitedAsync(string phone, HttpContext http, CancellationToken ct)
    {
        var rules = options.CurrentValue.Otp;
        var hour = TimeSpan.FromHours(1);
        var byPhone = await limiter.HitAsync("login.otp.send.phone", phone, rules.SendsPerPhonePerHour, hour, ct);
        var byIp = await limiter.HitAsync("login.otp.send.ip", ClientIp.Of(http), rules.SendsPerIpPerHour, hour, ct);
        var now = clock.GetUtcNow();
        var blocked = new[] { byPhone, byIp }.Where(d => !d.Allowed).Select(d => d.RetryAfter(now)).ToList();
        return blocked.Count == 0 ? null : blocked.Max();
    }

    private static string RefusalKey(string reason) => reason switch
    {
        "no_channel" => "Login_NoChannel",
        "country_not_allowed" => "Login_CountryNotAllowed",
        "invalid_phone" => "Login_PhoneInvalid",
        _ => "Login_SendRefused",
    };

    private Task<bool> HasAccountAsync(string phone, CancellationToken ct) =>
        db.Set<IdpUser>().AnyAsync(u => u.PhoneNumber == phone, ct);

    private static string Locale() => System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
}
