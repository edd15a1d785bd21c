using WaIdentity.IdP.Hosting;

namespace WaIdentity.IdP.Oidc.Authorize;

/// <summary>
/// ui_locales (OIDC Core 3.1.2.1): the first language we support becomes the browser's culture cookie before it goes
/// to the login pages, so every page of the login speaks it (the cookie provider is one of the defaults).
/// </summary>
internal static class UiLocales
{
    public static void Apply(HttpContext http, string? uiLocales)
    {
        var culture = (uiLocales ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(tag => tag.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(IdpApp.SupportedCultures.Contains);
        if (culture is not null) LanguageSwitch.Remember(http, culture);
    }
}
