namespace WaIdentity.IdP.Hosting;

/// <summary>
/// The per-response Content-Security-Policy inputs. Pages that need an inline script use the nonce; the
/// form_post response widens form-action to the one redirect URI it posts to.
/// </summary>
internal static class CspNonce
{
    private const string NonceKey = "csp-nonce";
    private const string FormActionKey = "csp-form-action";
    private const string StyleKey = "csp-style-src";

    public static string GetCspNonce(this HttpContext context) => (string)context.Items[NonceKey]!;

    internal static void SetCspNonce(this HttpContext context, string nonce) => context.Items[NonceKey] = nonce;

    public static void AllowFormActionTo(this HttpContext context, string origin) => context.Items[FormActionKey] = origin;

    internal static string? ExtraFormAction(this HttpContext context) => context.Items[FormActionKey] as string;

    /// <summary>Allows exact inline styles by hash (e.g. a third-party page's one fixed style attribute); never 'unsafe-inline'.</summary>
    public static void AllowStyleHashes(this HttpContext context, string sources) => context.Items[StyleKey] = sources;

    internal static string? ExtraStyleSources(this HttpContext context) => context.Items[StyleKey] as string;
}
