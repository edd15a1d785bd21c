namespace WaIdentity.IdP.Login;

/// <summary>Only local paths are followed after login, so /login cannot be used as an open redirector.</summary>
internal static class ReturnUrls
{
    /// <summary>The local path, with any non-ASCII character percent-encoded (UTF-8): it goes into a Refresh header,
    /// which carries ASCII only; "/" for anything that is not a local path.</summary>
    public static string Sanitize(string? returnUrl) =>
        returnUrl is { Length: > 0 } u && u[0] == '/' && !u.StartsWith("//") && !u.StartsWith("/\\") && !u.Any(char.IsControl)
            ? EscapeNonAscii(u) ?? "/"
            : "/";

    private static string? EscapeNonAscii(string url)
    {
        if (url.All(char.IsAscii)) return url;
        var escaped = new System.Text.StringBuilder(url.Length * 2);
        for (var i = 0; i < url.Length;)
        {
            if (char.IsAscii(url[i]))
            {
                escaped.Append(url[i++]);
                continue;
            }
            var end = i;
            while (end < url.Length && !char.IsAscii(url[end])) end++;
            if (!TryEscape(url[i..end], escaped)) return null;
            i = end;
        }
        return escaped.ToString();
    }

    private static bool TryEscape(string run, System.Text.StringBuilder into)
    {
        try
        {
            into.Append(Uri.EscapeDataString(run));
            return true;
        }
        catch (UriFormatException)
        {
            return false; // a lone surrogate: no URL to follow
        }
    }
}
