using System.Text.Encodings.Web;
using Microsoft.Extensions.Localization;

namespace WaIdentity.IdP.Oidc.Authorize;

/// <summary>
/// The page shown when the client or redirect URI cannot be trusted, or the request expired: the user sees what
/// went wrong and is not sent anywhere (RFC 9700 4.11.2: no open redirector).
/// </summary>
internal static class AuthorizeErrorPage
{
    public static IResult Render(HttpContext http, string error, string description)
    {
        var t = http.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var e = HtmlEncoder.Default;
        var lang = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var html = $"""
            <!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{e.Encode(t["Oidc_ErrorTitle"])} - WaIdentity</title><link rel="stylesheet" href="/css/site.css"></head>
            <body><header class="top"><a href="/" class="brand">WaIdentity</a></header><main class="card">
            <h1>{e.Encode(t["Oidc_ErrorTitle"])}</h1><p>{e.Encode(t["Oidc_ErrorText"])}</p>
            <p class="muted"><code>{e.Encode(error)}</code>: {e.Encode(description)}</p></main></body></html>
            """;
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
    }
}
