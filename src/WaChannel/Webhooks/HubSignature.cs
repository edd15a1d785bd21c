using System.Security.Cryptography;
using System.Text;

namespace WaIdentity.WaChannel.Webhooks;

/// <summary>Meta's X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256(app secret, raw body), compared in constant time.</summary>
public static class HubSignature
{
    public const string Header = "X-Hub-Signature-256";

    public static string Sign(string appSecret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    public static bool IsValid(string appSecret, byte[] body, string? header)
    {
        if (appSecret.Length == 0 || header is null || !header.StartsWith("sha256=", StringComparison.Ordinal)) return false;
        byte[] given;
        try { given = Convert.FromHexString(header.AsSpan(7)); }
        catch (FormatException) { return false; }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
