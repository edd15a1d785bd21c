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
        var hourAgo = now.AddHours(-1);
        var sends = db.Set<OutboundMessage>().Where(m => m.Kind == MessageKind.Code && m.FallbackOfId == null);
        if (await sends.CountAsync(m => m.Phone == phone && m.CreatedAt > hourAgo, ct) >= limits.PerPhonePerHour)
            throw new CodeSendRefusedException("phone_limit", $"Too many codes were sent to this number. Try again later (limit {limits.PerPhonePerHour} per hour).");
        if (clientIp is not null && await sends.CountAsync(m => m.ClientIp == clientIp && m.CreatedAt > hourAgo, ct) >= limits.PerIpPerHour)
            throw new CodeSendRefusedException("ip_limit", $"Too many codes were requested from this network. Try again later (limit {limits.PerIpPerHour} per hour).");
        if (country is not null)
        {
            var prefix = "+" + country;
            if (await sends.CountAsync(m => m.Phone.StartsWith(prefix) && m.CreatedAt > hourAgo, ct) >= limits.PerCountryPerHour)
                throw new CodeSendRefusedException("country_limit", "Too many codes were sent to this country. Try again later.");
        }
        var dayAgo = now.AddDays(-1);
        if (await sends.CountAsync(m => m.CreatedAt > dayAgo, ct) >= limits.DailyBudget)
            throw new CodeSendRefusedException("daily_budget", "The daily budget for codes is used up. Try again tomorrow.");
    }
}
