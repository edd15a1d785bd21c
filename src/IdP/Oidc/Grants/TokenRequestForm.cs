namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// Reads the form of the token, introspection, revocation, PAR and device authorization endpoints: a body the server
/// refuses to read is an invalid_request with its 4xx, never a 500. (Control characters in the form never get here:
/// ControlCharacterGuard.)
/// </summary>
internal static class TokenRequestForm
{
    public static async Task<Check<IFormCollection, OAuthError>> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType) return OAuthError.InvalidRequest("The request must be application/x-www-form-urlencoded.");
        try
        {
            return Check<IFormCollection, OAuthError>.Pass(await request.ReadFormAsync(ct));
        }
        catch (BadHttpRequestException e)
        {
            return new OAuthError("invalid_request", "The request body could not be read.", e.StatusCode);
        }
        catch (InvalidDataException)
        {
            return OAuthError.InvalidRequest("The request body is not a valid form (too many or too long values).");
        }
    }

    /// <summary>The error for the first parameter sent more than once (RFC 6749 3.2), or null.</summary>
    public static OAuthError? Repeated(IFormCollection form, params string[] names) =>
        (names.Length == 0 ? form.Keys : names).FirstOrDefault(name => form[name].Count > 1) is { } repeated
            ? OAuthError.InvalidRequest($"The {repeated} parameter is repeated.")
            : null;

    /// <summary>OAuth parameters are visible ASCII and spaces (RFC 6749 Appendix A); NUL cannot even be stored.</summary>
    public static bool HasControlCharacter(string value) => value.Any(char.IsControl);
}
