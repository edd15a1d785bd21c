using System.Globalization;

namespace WaIdentity.IdP.Login.Phones;

/// <summary>One entry of the country picker: "Indonesia (+62)"; Main for the country a shared calling code means first (+1 is the US).</summary>
internal sealed record PhoneCountry(string Region, int CallingCode, string Name, bool Main);

/// <summary>
/// The country picker's list: every region libphonenumber has a numbering plan for, with its calling code, sorted by
/// name. No flag emoji: Windows and machines without an emoji font show them as letters or empty boxes. Names are
/// English here (.NET has no localized region names); the page's script shows them in the page's language with the
/// browser's own names (Intl.DisplayNames) where the browser has them.
/// </summary>
internal static class PhoneCountries
{
    public static IReadOnlyList<PhoneCountry> All { get; } = PhoneRegions.Supported
        .Select(r => new PhoneCountry(r, PhoneRegions.CallingCodeOf(r), NameOf(r), PhoneRegions.OfCallingCode(PhoneRegions.CallingCodeOf(r)) == r))
        .OrderBy(c => c.Name, StringComparer.InvariantCultureIgnoreCase)
        .ToList();

    private static string NameOf(string region)
    {
        try
        {
            return new RegionInfo(region).EnglishName;
        }
        catch (ArgumentException)
        {
            return region; // territories .NET has no culture for (AC, TA): their code, still findable by calling code
        }
    }
}
