using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;

namespace WaIdentity.IdP.Oidc.Keys;

/// <summary>A usable key: the private key for signing and its public JWK for JWKS.</summary>
internal sealed record LoadedKey(SigningKey Row, SecurityKey PrivateKey, IReadOnlyDictionary<string, string> PublicJwk);

/// <summary>Generates ES256 (P-256) and RS256 (RSA 3072) keys and converts them to and from their stored, protected form.</summary>
internal sealed class SigningKeyFactory(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("WaIdentity.Oidc.SigningKeys.v1");

    public string NewProtectedPrivateKey(string algorithm)
    {
        byte[] pkcs8;
        if (algorithm == OidcConstants.ES256)
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            pkcs8 = ec.ExportPkcs8PrivateKey();
        }
        else
        {
            using var rsa = RSA.Create(3072);
            pkcs8 = rsa.ExportPkcs8PrivateKey();
        }
        try { return Convert.ToBase64String(_protector.Protect(pkcs8)); }
        finally { CryptographicOperations.ZeroMemory(pkcs8); }
    }

    public LoadedKey Load(SigningKey row)
    {
        var pkcs8 = _protector.Unprotect(Convert.FromBase64String(row.ProtectedPrivateKey));
        try
        {
            if (row.Algorithm == OidcConstants.ES256)
            {
                var ec = ECDsa.Create();
                ec.ImportPkcs8PrivateKey(pkcs8, out _);
                var p = ec.ExportParameters(false);
                return new LoadedKey(row, new ECDsaSecurityKey(ec) { KeyId = row.Id }, new Dictionary<string, string>
                {
                    ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64UrlEncoder.Encode(p.Q.X!), ["y"] = Base64UrlEncoder.Encode(p.Q.Y!),
                    ["kid"] = row.Id, ["use"] = "sig", ["alg"] = row.Algorithm,
                });
            }
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            var r = rsa.ExportParameters(false);
            return new LoadedKey(row, new RsaSecurityKey(rsa) { KeyId = row.Id }, new Dictionary<string, string>
            {
                ["kty"] = "RSA", ["n"] = Base64UrlEncoder.Encode(r.Modulus!), ["e"] = Base64UrlEncoder.Encode(r.Exponent!),
                ["kid"] = row.Id, ["use"] = "sig", ["alg"] = row.Algorithm,
            });
        }
        finally { CryptographicOperations.ZeroMemory(pkcs8); }
    }
}
