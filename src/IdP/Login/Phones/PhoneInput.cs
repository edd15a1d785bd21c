using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Login.Phones;

/// <summary>
/// A phone number typed on a page (login, send-code hint, account phone) read with the configured default country
/// and the country picker's choice. Configured test numbers (<c>Login:TestNumbers:Pattern</c>) are fictional on
/// purpose, so they are taken when the numbering plan alone refuses them.
/// </summary>
internal sealed class PhoneInput(IOptionsMonitor<LoginOptions> options)
{
    /// <summary>The region the page's picker shows: the posted one when known, else the default country's.</summary>
    public string Region(string? posted) => PhoneRegions.Chosen(posted, options.CurrentValue.DefaultCountryCode);

    public PhoneParseResult Read(string? typed, string? country)
    {
        var result = PhoneNumberNormalizer.Normalize(typed, Region(country));
        return result.Refused is { } e164 && options.CurrentValue.TestNumbers.Matches(e164) ? new(e164, null, result.Region) : result;
    }
}
