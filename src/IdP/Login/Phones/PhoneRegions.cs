using PhoneNumbers;

namespace WaIdentity.IdP.Login.Phones;

/// <summary>Regions (ISO 3166 codes such as "ID") and their calling codes, as libphonenumber's metadata knows them.</summary>
internal static class PhoneRegions
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The main region of a calling code ("62" is "ID", "1" is "US"), or null for none or a non-geographic one (+882).</summary>
    public static string? OfCallingCode(int callingCode) =>
        Util.GetRegionCodeForCountryCode(callingCode) is { Length: 2 } region && region != "ZZ" ? region : null;

    /// <summary>The region for the configured default calling code (<c>Login:DefaultCountryCode</c>, e.g. "62").</summary>
    public static string OfDefault(string callingCode) =>
        int.TryParse(callingCode, out var cc) && OfCallingCode(cc) is { } region ? region : "ID";

    /// <summary>The region the country picker posted when it is one we know; else the default.</summary>
    public static string Chosen(string? posted, string defaultCallingCode) =>
        posted is { Length: 2 } && Util.GetSupportedRegions().Contains(posted.ToUpperInvariant()) ? posted.ToUpperInvariant() : OfDefault(defaultCallingCode);

    public static int CallingCodeOf(string region) => Util.GetCountryCodeForRegion(region);

    /// <summary>An example mobile number of the region in the form its people write it (e.g. "0812-345-678"), for placeholders and messages.</summary>
    public static string ExampleNational(string region) =>
        Util.GetExampleNumberForType(region, PhoneNumberType.MOBILE) is { } example ? Util.Format(example, PhoneNumberFormat.NATIONAL) : "";

    public static string ExampleInternational(string region) =>
        Util.GetExampleNumberForType(region, PhoneNumberType.MOBILE) is { } example ? Util.Format(example, PhoneNumberFormat.INTERNATIONAL) : "";

    public static IReadOnlyCollection<string> Supported => Util.GetSupportedRegions();
}
