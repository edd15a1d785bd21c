using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.WebUtilities;
using WaIdentity.IdP.Hosting;

namespace WaIdentity.IdP.Oidc.Authorize;

/// <summary>
/// Sends an authorization response (success or error) to the client's validated redirect URI, with state and iss
/// (RFC 9207). response_mode=query: a 303 redirect; form_post: an auto-submitting form (OAuth 2.0 Form Post).
/// </summary>
internal static class AuthorizationResponseWriter
{
    public static IResult Write(HttpContext http, AuthorizeRequest request, string issuer, IDictionary<string, string?> values)
    {
        values["state"] = request.State;
        values["iss"] = issuer;
        var present = values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value);
        http.Response.Headers.CacheControl = "no-store";
        if (request.ResponseMode == "form_post") return FormPost(http, request.RedirectUri!, present);
        http.Response.Headers.Location = QueryHelpers.AddQueryString(request.RedirectUri!, present);
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    public static IResult Error(HttpContext http, AuthorizeRequest request, string issuer, string error, string description) =>
        Write(http, request, issuer, new Dictionary<string, string?> { ["error"] = error, ["error_description"] = description });

    private static IResult FormPost(HttpContext http, string redirectUri, Dictionary<string, string?> values)
    {
        var uri = new Uri(redirectUri);
        http.AllowFormActionTo(uri.GetLeftPart(UriPartial.Authority));
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Submit</title></head><body>")
            .Append("<form method=\"post\" action=\"").Append(HtmlEncoder.Default.Encode(redirectUri)).Append("\">");
        foreach (var (name, value) in values)
            html.Append("<input type=\"hidden\" name=\"").Append(HtmlEncoder.Default.Encode(name))
                .Append("\" value=\"").Append(HtmlEncoder.Default.Encode(value!)).Append("\">");
        html.Append("<noscript><button type=\"submit\">Continue</button></noscript></form>")
            .Append("<script nonce=\"").Append(http.GetCspNonce()).Append("\">document.forms[0].submit();</script></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }
}
