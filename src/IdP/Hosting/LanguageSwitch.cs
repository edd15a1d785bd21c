using Microsoft.AspNetCore.Localization;
using WaIdentity.IdP.Login;

namespace WaIdentity.IdP.Hosting;

/// <summary>
/// GET /language/{culture}?returnUrl=…: the page header's language links. Stores the choice in the culture cookie
/// (the request-localization cookie provider reads it on every later page) and goes back to the page it came from,
/// query string included, so an authorization request in progress carries on in the other language.
/// </summary>
internal static class LanguageSwitch
{
    public const string Path = "/language";

    public static string Link(string culture, HttpRequest request) =>
        $"{Path}/{culture}?returnUrl={Uri.EscapeDataString(request.Path.ToUriComponent() + request.QueryString.ToUriComponent())}";

    public static void MapLanguageSwitch(this WebApplication app) =>
        app.MapGet(Path + "/{culture}", (HttpContext http, string culture, string? returnUrl) =>
        {
            if (!IdpApp.SupportedCultures.Contains(culture)) return Results.NotFound();
            Remember(http, culture);
            var back = ReturnUrls.Sanitize(returnUrl);
            // A Location header carries ASCII only; the page's own links are already escaped, anything else starts over.
            return Results.LocalRedirect(back.All(char.IsAscii) ? back : "/");
        }).ExcludeFromDescription();

    /// <summary>Makes <paramref name="culture"/> the browser's language for a year.</summary>
    public static void Remember(HttpContext http, string culture) =>
        http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, MaxAge = TimeSpan.FromDays(365) });
}
