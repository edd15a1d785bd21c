using System.Globalization;
using Microsoft.AspNetCore.Html;

namespace WaIdentity.Admin;

/// <summary>
/// A time for the portal's pages: written in UTC with the zone named, and shown in the admin's own time zone by the
/// layout's local-time script (the same as the account pages).
/// </summary>
internal static class LocalTime
{
    public static IHtmlContent Of(DateTimeOffset at, bool seconds = false)
    {
        var utc = at.UtcDateTime;
        var shown = utc.ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return new HtmlString($"<time class=\"local-time\" datetime=\"{utc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}\"{(seconds ? " data-seconds" : "")}>{shown} UTC</time>");
    }

    /// <summary>The time of day to the millisecond (a message's delivery timeline).</summary>
    public static IHtmlContent TimeOfDay(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new HtmlString($"<time class=\"local-time\" datetime=\"{utc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}\" data-ms>{utc.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} UTC</time>");
    }
}
