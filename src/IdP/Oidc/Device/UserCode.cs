using System.Security.Cryptography;
using WaIdentity.IdP.Oidc.Tokens;

namespace WaIdentity.IdP.Oidc.Device;

/// <summary>
/// User codes (RFC 8628 6.1): eight letters from an alphabet without vowels (no words, no 0/O or 1/I confusion),
/// shown as XXXX-XXXX, about 34.6 bits. Entry is forgiving: any case, with or without the dash or spaces.
/// Guessing is bounded by the verification page's limits and the code's short life.
/// </summary>
internal static class UserCode
{
    public const string Alphabet = "BCDFGHJKLMNPQRSTVWXZ";
    public const int Length = 8;

    public static string New()
    {
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return Display(new string(chars));
    }

    /// <summary>The canonical form (upper case, dash in the middle), or null when the text cannot be a user code.</summary>
    public static string? Normalize(string? entered)
    {
        if (entered is null) return null;
        var letters = new string(entered.Where(c => c != '-' && !char.IsWhiteSpace(c)).Select(char.ToUpperInvariant).ToArray());
        return letters.Length == Length && letters.All(c => Alphabet.Contains(c)) ? Display(letters) : null;
    }

    public static string Hash(string normalized) => OpaqueToken.Hash(normalized);

    private static string Display(string letters) => $"{letters[..4]}-{letters[4..]}";
}
