using System.Security.Cryptography;
using System.Text;

namespace WaIdentity.WaChannel.Webhooks;

/// <summary>
/// X-Twilio-Signature: Base64 HMAC-SHA1(auth token, full URL + each POST parameter's name and value, names in ordinal
/// order). Like Twilio's own validator, the URL is tried with and without the default port.
/// </summary>
public static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal)) data.Append(key).Append(value);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    public static bool IsValid(string authToken, string url, IReadOnlyList<KeyValuePair<string, string>> form, string? header)
    {
        if (authToken.Length == 0 || header is null) return false;
        byte[] given;
        try { given = Convert.FromBase64String(header); }
        catch (FormatException) { return false; }
        return UrlVariants(url).Any(u => CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(Sign(authToken, u, form)), given));
    }

    private static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        var uri = new Uri(url);
        if (!uri.IsDefaultPort) yield break;
        var withPort = $"{uri.Scheme}://{uri.Host}:{uri.Port}{uri.PathAndQuery}";
        yield return url == withPort ? $"{uri.Scheme}://{uri.Host}{uri.PathAndQuery}" : withPort;
    }
}
