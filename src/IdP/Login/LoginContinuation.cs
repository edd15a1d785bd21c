namespace WaIdentity.IdP.Login;

/// <summary>
/// How a login page moves on after signing in: a 200 page with a Refresh header (and a link), not a redirect.
/// Browsers apply the form's CSP form-action 'self' to every redirect after a POST, which would block the authorize
/// endpoint's redirect to the relying party's callback.
/// </summary>
internal static class LoginContinuation
{
    /// <returns>The sanitised local URL the page links to.</returns>
    public static string Start(HttpResponse response, string? returnUrl)
    {
        var url = ReturnUrls.Sanitize(returnUrl);
        response.Headers["Refresh"] = "0;url=" + url;
        return url;
    }
}
