namespace WaIdentity.IdP.Oidc.Dpop;

/// <summary>The WWW-Authenticate value of the DPoP scheme (RFC 9449 7.1), always naming the accepted proof algorithms.</summary>
internal static class DpopChallenge
{
    public static string For(string? error, string? description)
    {
        var algs = $"algs=\"{string.Join(' ', DpopProofValidator.Algorithms)}\"";
        if (error is null) return $"{DpopNames.Scheme} {algs}";
        // Descriptions are ours (no quotes or backslashes); quoted-string per RFC 9110 11.
        return $"{DpopNames.Scheme} error=\"{error}\", error_description=\"{description}\", {algs}";
    }
}
