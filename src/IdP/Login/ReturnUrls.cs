namespace WaIdentity.IdP.Login;

/// <summary>Only local paths are followed after login, so /login cannot be used as an open redirector.</summary>
public static class ReturnUrls
{
    public static string Sanitize(string? returnUrl) =>
        returnUrl is { Length: > 0 } u && u[0] == '/' && !u.StartsWith("//") && !u.StartsWith("/\\") && !u.Any(char.IsControl)
            ? u
            : "/";
}
