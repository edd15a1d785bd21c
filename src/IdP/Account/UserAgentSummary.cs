using Microsoft.Extensions.Localization;

namespace WaIdentity.IdP.Account;

/// <summary>
/// "Chrome on Android" / "Chrome di Android": enough for a person to recognise a browser, from an untrusted User-Agent
/// header. The browser and system names are product names and stay as they are; the words around them are translated.
/// </summary>
internal static class UserAgentSummary
{
    public static string Describe(string? userAgent, IStringLocalizer t)
    {
        var (browser, system) = Parts(userAgent);
        var name = browser ?? t["Account_UnknownBrowser"].Value;
        return system is null ? name : t["Account_BrowserOnSystem", name, system];
    }

    /// <summary>The browser and the operating system, each null when the header does not say.</summary>
    public static (string? Browser, string? System) Parts(string? userAgent)
    {
        var ua = userAgent ?? "";
        var browser = ua switch
        {
            _ when ua.Contains("Edg/") => "Edge",
            _ when ua.Contains("OPR/") || ua.Contains("Opera") => "Opera",
            _ when ua.Contains("SamsungBrowser") => "Samsung Internet",
            _ when ua.Contains("Firefox/") => "Firefox",
            _ when ua.Contains("Chrome/") || ua.Contains("Chromium/") || ua.Contains("CriOS/") => "Chrome",
            _ when ua.Contains("Safari/") => "Safari",
            _ => null,
        };
        var system = ua switch
        {
            _ when ua.Contains("Android") => "Android",
            _ when ua.Contains("iPhone") || ua.Contains("iPad") => "iOS",
            _ when ua.Contains("Windows") => "Windows",
            _ when ua.Contains("Mac OS X") || ua.Contains("Macintosh") => "macOS",
            _ when ua.Contains("CrOS") => "ChromeOS",
            _ when ua.Contains("Linux") => "Linux",
            _ => null,
        };
        return (browser, system);
    }
}
