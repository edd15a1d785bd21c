using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace WaIdentity.IdP.Login.SendCode;

/// <summary>
/// A code a person sends from WhatsApp to prove their number (send-code login, a gateway app's phone verification):
/// a prefix naming its use, then eight characters from an alphabet without 0/O and 1/I (40 random bits), easy to read
/// aloud. Only its hash is stored: the code lives minutes, so no server key is needed.
/// </summary>
internal static class SentCode
{
    public const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    public const int Length = 8;

    private static readonly ConcurrentDictionary<string, Regex> Patterns = new();

    public static string New(string prefix) => prefix + RandomNumberGenerator.GetString(Alphabet, Length);

    public static string Hash(string code) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(code)));

    /// <summary>
    /// The first code with this prefix in a message, in the canonical (upper) case, or null. The pattern is wider than
    /// the alphabet (any letter or digit 2-9, any case), so a mistyped code is still recognised as one: it is claimed,
    /// never forwarded to apps as an ordinary message, and simply proves nothing.
    /// </summary>
    public static string? Find(string text, string prefix)
    {
        var pattern = Patterns.GetOrAdd(prefix, p => new Regex(Regex.Escape(p) + $"[A-Z2-9]{{{Length}}}",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled));
        var match = pattern.Match(text);
        return match.Success ? match.Value.ToUpperInvariant() : null;
    }

    /// <summary>The wa.me link (also a phone's universal link) and the whatsapp:// deep link that open a chat with the
    /// business number with <paramref name="text"/> typed in, ready to send.</summary>
    public static (string Link, string DeepLink) Links(string businessNumber, string text)
    {
        var (digits, escaped) = (businessNumber.TrimStart('+'), Uri.EscapeDataString(text));
        return ($"https://wa.me/{digits}?text={escaped}", $"whatsapp://send?phone={digits}&text={escaped}");
    }
}
