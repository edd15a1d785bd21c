using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace WaIdentity.IdP.Oidc.Dpop;

/// <summary>
/// Server nonces for DPoP proofs (RFC 9449 8): the issue time, protected with the data-protection keys every node
/// shares, so any node accepts a nonce another node issued and nothing is stored. Valid for
/// <see cref="DpopOptions.NonceLifetimeSeconds"/> on the app's clock.
/// </summary>
internal sealed class DpopNonces(IDataProtectionProvider protection, TimeProvider clock, IOptions<OidcOptions> options)
{
    private readonly IDataProtector _protector = protection.CreateProtector("WaIdentity.Oidc.DpopNonce");

    public string Issue() => Base64UrlEncoder.Encode(_protector.Protect(BitConverter.GetBytes(clock.GetUtcNow().ToUnixTimeSeconds())));

    public bool IsCurrent(string? nonce)
    {
        if (string.IsNullOrEmpty(nonce) || nonce.Length > 512) return false;
        long issued;
        try { issued = BitConverter.ToInt64(_protector.Unprotect(Base64UrlEncoder.DecodeBytes(nonce))); }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException or ArgumentException) { return false; }
        var age = clock.GetUtcNow().ToUnixTimeSeconds() - issued;
        return age >= 0 && age <= options.Value.Dpop.NonceLifetimeSeconds;
    }
}
