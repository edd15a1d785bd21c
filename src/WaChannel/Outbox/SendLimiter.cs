using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PhoneNumbers;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>
/// Abuse limits on every code send, the one owner of send limits, counted from the outbox itself so they hold across
/// nodes. Toll fraud (SMS pumping) first: a country allow-list (by default only the home country), a deny-list of
/// non-geographic and premium prefixes and of premium-rate, shared-cost and toll-free numbers, at most a few
/// countries per IP a day, and a per-prefix velocity limit (sequential numbers of one block). Then per phone and per
/// IP per hour, per country per hour, and the daily budget, split so one IP or one number block can spend only its
/// share of it before the global cap. Fallback SMS are not counted again (they are the same code). A refused send
/// writes nothing; every refusal is counted (<see cref="ChannelMeters"/>) by reason.
/// </summary>
internal sealed class SendLimiter(ChannelDbContext db, IOptionsMonitor<ChannelOptions> options, TimeProvider clock, ChannelMeters meters)
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>Null when the send may go; otherwise why not and, for a limit, how long to wait.</summary>
    public async Task<SendRefusal?> CheckAsync(string phone, string? clientIp, CancellationToken ct)
    {
        var refusal = await CheckLimitsAsync(phone, clientIp, ct);
        if (refusal is not null) meters.SendsRefused.Add(1, new KeyValuePair<string, object?>("reason", refusal.Code));
        return refusal;
    }

    private async Task<SendRefusal?> CheckLimitsAsync(string phone, string? clientIp, CancellationToken ct)
    {
        var limits = options.CurrentValue.Limits;
        var country = CallingCode(phone);
        if (!limits.AllowsCountry(country))
            return new SendRefusal(SendRefusalReason.CountryNotAllowed, "Codes cannot be sent to numbers in this country.");
        if (limits.DeniedPrefixes.FirstOrDefault(p => phone.StartsWith("+" + p, StringComparison.Ordinal)) is not null)
            return new SendRefusal(SendRefusalReason.PrefixDenied, "Codes cannot be sent to numbers with this prefix (non-geographic or premium).");
        if (IsPaidByTheSender(phone))
            return new SendRefusal(SendRefusalReason.NumberTypeDenied, "Codes cannot be sent to premium-rate, shared-cost or toll-free numbers.");

        var now = clock.GetUtcNow();
        // Limited texts (TextRequest.Limited) always carry a ClientIp, other texts never do.
        var sends = db.Set<OutboundMessage>().Where(m => (m.Kind == MessageKind.Code || m.ClientIp != null) && m.FallbackOfId == null);
        var block = Block(phone, limits.PrefixBlockDigits);
        var fromIp = clientIp is null ? null : sends.Where(m => m.ClientIp == clientIp);
        var toBlock = sends.Where(m => m.Phone.StartsWith(block));
        if (await RetryAfterAsync(sends.Where(m => m.Phone == phone), limits.PerPhonePerHour, Hour, now, ct) is { } phoneWait)
            return new SendRefusal(SendRefusalReason.PhoneLimit, $"Too many codes were sent to this number. Try again in {Minutes(phoneWait)} (limit {limits.PerPhonePerHour} per hour).", phoneWait);
        if (fromIp is not null && await RetryAfterAsync(fromIp, limits.PerIpPerHour, Hour, now, ct) is { } ipWait)
            return new SendRefusal(SendRefusalReason.IpLimit, $"Too many codes were requested from this network. Try again in {Minutes(ipWait)} (limit {limits.PerIpPerHour} per hour).", ipWait);
        if (await RetryAfterAsync(toBlock, limits.PerPrefixPerHour, Hour, now, ct) is { } prefixWait)
            return new SendRefusal(SendRefusalReason.PrefixLimit, $"Too many codes were sent to numbers starting {block}. Try again in {Minutes(prefixWait)}.", prefixWait);
        if (fromIp is not null && await CountriesTodayAsync(fromIp, now, ct) is { } countries && !countries.Contains(country) && countries.Count >= limits.CountriesPerIpPerDay)
            return new SendRefusal(SendRefusalReason.IpCountryLimit, $"Codes were requested from this network for {countries.Count} countries today (limit {limits.CountriesPerIpPerDay}).", Day);
        if (fromIp is not null && await RetryAfterAsync(fromIp, limits.Share(limits.IpShareOfDailyBudgetPercent), Day, now, ct) is { } ipDayWait)
            return new SendRefusal(SendRefusalReason.IpBudgetShare, $"This network used its share of the daily budget. Try again in {Minutes(ipDayWait)}.", ipDayWait);
        if (await RetryAfterAsync(toBlock, limits.Share(limits.PrefixShareOfDailyBudgetPercent), Day, now, ct) is { } blockDayWait)
            return new SendRefusal(SendRefusalReason.PrefixBudgetShare, $"Numbers starting {block} used their share of the daily budget. Try again in {Minutes(blockDayWait)}.", blockDayWait);
        if (await RetryAfterAsync(sends.Where(m => m.Phone.StartsWith("+" + country)), limits.PerCountryPerHour, Hour, now, ct) is { } countryWait)
            return new SendRefusal(SendRefusalReason.CountryLimit, $"Too many codes were sent to this country. Try again in {Minutes(countryWait)}.", countryWait);
        if (await RetryAfterAsync(sends, limits.DailyBudget, Day, now, ct) is { } budgetWait)
            return new SendRefusal(SendRefusalReason.DailyBudget, $"The daily budget for codes is used up. Try again in {Minutes(budgetWait)}.", budgetWait);
        return null;
    }

    /// <summary>The country calling code ("62"), as the numbering plans read it; "" when none is known.</summary>
    private static string CallingCode(string phone)
    {
        try
        {
            return Util.Parse(phone, null).CountryCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (NumberParseException)
        {
            return "";
        }
    }

    /// <summary>Numbers whose calls and messages earn their owner money or that cannot take an SMS: the pumping targets.</summary>
    private static bool IsPaidByTheSender(string phone)
    {
        try
        {
            return Util.GetNumberType(Util.Parse(phone, null)) is PhoneNumberType.PREMIUM_RATE or PhoneNumberType.SHARED_COST or PhoneNumberType.TOLL_FREE;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    /// <summary>The number block a phone belongs to: its E.164 form without the last digits (sequential numbers share it).</summary>
    private static string Block(string phone, int digits) => phone.Length - digits > 4 ? phone[..^digits] : phone;

    /// <summary>The countries this IP's codes went to in the last day (few rows: the IP's own hourly limit bounds them).</summary>
    private async Task<HashSet<string>> CountriesTodayAsync(IQueryable<OutboundMessage> fromIp, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - Day;
        var phones = await fromIp.Where(m => m.CreatedAt > since).Select(m => m.Phone).Distinct().ToListAsync(ct);
        return phones.Select(CallingCode).ToHashSet();
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
