namespace WaIdentity.IdP.Oidc.Dpop;

/// <summary>
/// The htu check (RFC 9449 4.3 step 9): the proof's URI must be the URI of the request, compared without query and
/// fragment and after syntax- and scheme-based normalization (RFC 3986 6.2.2, 6.2.3): scheme and host case, the default
/// port, dot segments.
/// </summary>
internal static class DpopTargetUri
{
    public static bool Matches(string htu, string expected) =>
        Normalize(htu) is { } presented && presented == Normalize(expected);

    private static string? Normalize(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var u) || u.Scheme is not ("https" or "http")) return null;
        var path = u.GetComponents(UriComponents.Path | UriComponents.KeepDelimiter, UriFormat.UriEscaped);
        return u.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) + (path.Length == 0 ? "/" : path);
    }
}
