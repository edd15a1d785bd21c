using System.Security.Cryptography;

namespace WaIdentity.IdP.Hosting;

/// <summary>
/// Security headers on every response (ASVS 3.4, RFC 9700 4.16): CSP with a per-request script nonce,
/// frame-ancestors 'none' and X-Frame-Options against clickjacking, no referrer, no MIME sniffing.
/// HSTS is added by UseHsts when the request arrived over https.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.SetCspNonce(nonce);
        context.Response.OnStarting(() =>
        {
            var h = context.Response.Headers;
            var formAction = context.ExtraFormAction() is { } extra ? $"'self' {extra}" : "'self'";
            var styleSrc = context.ExtraStyleSources() is { } styles ? $"'self' {styles}" : "'self'";
            h.ContentSecurityPolicy =
                $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src {styleSrc}; img-src 'self' data:; " +
                $"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action {formAction}";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h.XContentTypeOptions = "nosniff";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
