using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>
/// Abuse limits on every code send, counted from the outbox itself so they hold across nodes: per phone and per IP
/// per hour, per country calling code per hour, a daily budget, and a country allow-list. Fallback SMS are not
/// counted again (they are the same code). A refused send writes nothing.
/// </summary>
public sealed class SendLimiter(ChannelDbContext db, IOptionsMonitor<ChannelOptions> options, TimeProvider clock)
{
    public async Task CheckAsync(string phone, string? clientIp, CancellationToken ct)
    {
        var limits = options.CurrentValue.Limits;
        var country = limits.AllowedCountryCodes.FirstOrDefault(cc => phone.StartsWith("+" + cc, StringComparison.Ordinal));
        if (limits.AllowedCountryCodes.Count > 0 && country is null)
            throw new CodeSendRefusedException("country_not_allowed", "Codes cannot be sent to numbers in this country.");

        var now = clock.GetUtcNow();
        var hour = TimeSpan.FromHours(1);
        var sends = db.Set<OutboundMessage>().Where(m => m.Kind == MessageKind.Code && m.FallbackOfId == null);
        if (await RetryAfterAsync(sends.Where(m => m.Phone == phone), limits.PerPhonePerHour, hour, now, ct) is { } phoneWait)
            throw new CodeSendRefusedException("phone_limit", $"Too many codes were sent to this number. Try again in {Minutes(phoneWait)} (limit {limits.PerPhonePerHour} per hour).", phoneWait);
        if (clientIp is not null && await RetryAfterAsync(sends.Where(m => m.ClientIp == clientIp), limits.PerIpPerHour, hour, now, ct) is { } ipWait)
            throw new CodeSendRefusedException("ip_limit", $"Too many codes were requested from this network. Try again in {Minutes(ipWait)} (limit {limits.PerIpPerHour} per hour).", ipWait);
        if (country is not null)
        {
            var prefix = "+" + country;
            if (await RetryAfterAsync(sends.Where(m => m.Phone.StartsWith(prefix)), limits.PerCountryPerHour, hour, now, ct) is { } countryWait)
                throw new CodeSendRefusedException("country_limit", $"Too many codes were sent to this country. Try again in {Minutes(countryWait)}.", countryWait);
        }
        if (await RetryAfterAsync(sends, limits.DailyBudget, TimeSpan.FromDays(1), now, ct) is { } budgetWait)
            throw new CodeSendRefusedException("daily_budget", $"The daily budget for codes is used up. Try again in {Minutes(budgetWait)}.", budgetWait);
    }

    /// <summary>
    /// Null while fewer than <paramref name="limit"/> sends fall in the sliding window; otherwise how long until enough
    /// of them have left it for one more (the send that must age out is the limit-th newest).
    /// </summary>
    private static async Task<TimeSpan?> RetryAfterAsync(IQueryable<OutboundMessage> sends, int limit, TimeSpan window, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - window;
        var inWindow = sends.Where(m => m.CreatedAt > since);
        if (await inWindow.CountAsync(ct) < limit) return null;
        var ageingOut = await inWindow.OrderByDescending(m => m.CreatedAt).Skip(limit - 1).Select(m => m.CreatedAt).FirstAsync(ct);
        var wait = ageingOut + window - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
    }

    private static string Minutes(TimeSpan wait) => $"{Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} min";
}
