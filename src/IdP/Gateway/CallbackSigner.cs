using System.Security.Cryptography;
using System.Text;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// Signs a webhook body: HMAC-SHA256 with the client's webhook secret over "{timestamp}.{body}" (timestamp in unix
/// seconds), sent as <c>X-WaIdentity-Timestamp</c> and <c>X-WaIdentity-Signature: v1=&lt;hex&gt;</c>. Receivers
/// recompute it, compare in constant time and refuse timestamps more than 5 minutes away (replays).
/// </summary>
internal static class CallbackSigner
{
    public const string TimestampHeader = "X-WaIdentity-Timestamp";
    public const string SignatureHeader = "X-WaIdentity-Signature";
    public const string EventHeader = "X-WaIdentity-Event";
    public const string DeliveryHeader = "X-WaIdentity-Delivery";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, long timestamp, string body) =>
        "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    /// <summary>What a receiver does; used by tests and the C# example in docs/gateway.md.</summary>
    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, string body, DateTimeOffset now)
    {
        if (!long.TryParse(timestampHeader, out var ts) || signatureHeader is null) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - ts) > Tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, ts, body));
        // Several signatures may be sent (comma separated) while a secret is rotated; any one may match.
        return signatureHeader.Split(',', StringSplitOptions.TrimEntries)
            .Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }
}
