namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// Reads the form of the token, introspection and revocation endpoints: a body the server refuses to read is an
/// invalid_request with its 4xx, never a 500. (Control characters in the form never get here: ControlCharacterGuard.)
/// </summary>
internal static class TokenRequestForm
{
    public static async Task<IFormCollection> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType) throw TokenError.InvalidRequest("The request must be application/x-www-form-urlencoded.");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (BadHttpRequestException e)
        {
            throw new TokenError("invalid_request", "The request body could not be read.", e.StatusCode);
        }
        catch (InvalidDataException)
        {
            throw TokenError.InvalidRequest("The request body is not a valid form (too many or too long values).");
        }
        return form;
    }

    /// <summary>OAuth parameters are visible ASCII and spaces (RFC 6749 Appendix A); NUL cannot even be stored.</summary>
    public static bool HasControlCharacter(string value) => value.Any(char.IsControl);
}
