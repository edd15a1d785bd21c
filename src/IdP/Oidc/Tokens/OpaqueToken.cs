using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace WaIdentity.IdP.Oidc.Tokens;

/// <summary>
/// Random bearer values (codes, refresh tokens, client secrets, request ids): 256 bits from the OS CSPRNG, base64url.
/// Only their SHA-256 is stored, and lookups go by that hash, so a database leak yields no usable value.
/// </summary>
internal static class OpaqueToken
{
    public static string New() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string value) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>Constant-time comparison of a presented value with a stored hash (ASVS 11.2.4).</summary>
    public static bool Matches(string presented, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(storedHash));
}
