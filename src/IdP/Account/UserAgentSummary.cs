namespace WaIdentity.IdP.Account;

/// <summary>"Chrome on Android": enough for a person to recognise a browser, from an untrusted User-Agent header.</summary>
public static class UserAgentSummary
{
    public static string Of(string? userAgent)
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
            _ => "A browser",
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
        return system is null ? browser : $"{browser} on {system}";
    }
}
