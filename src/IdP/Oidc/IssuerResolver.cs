using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Oidc;

/// <summary>The issuer identifier: configured, or this request's origin and path base (behind trusted proxies only).</summary>
internal sealed class IssuerResolver(IOptions<OidcOptions> options)
{
    public string Resolve(HttpContext http) =>
        options.Value.Issuer.Length > 0
            ? options.Value.Issuer.TrimEnd('/')
            : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}".TrimEnd('/');
}
