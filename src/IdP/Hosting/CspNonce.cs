namespace WaIdentity.IdP.Hosting;

/// <summary>
/// The per-response Content-Security-Policy inputs. Pages that need an inline script use the nonce; the
/// form_post response widens form-action to the one redirect URI it posts to.
/// </summary>
public static class CspNonce
{
    private const string NonceKey = "csp-nonce";
    private const string FormActionKey = "csp-form-action";

    public static string GetCspNonce(this HttpContext context) => (string)context.Items[NonceKey]!;

    internal static void SetCspNonce(this HttpContext context, string nonce) => context.Items[NonceKey] = nonce;

    public static void AllowFormActionTo(this HttpContext context, string origin) => context.Items[FormActionKey] = origin;

    internal static string? ExtraFormAction(this HttpContext context) => context.Items[FormActionKey] as string;
}
