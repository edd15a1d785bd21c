using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Login.Passkeys;

/// <summary>Configuration section "Login:Passkeys": WebAuthn's relying party and the ceremony limits.</summary>
internal sealed class PasskeyRules
{
    /// <summary>Offer passkeys (sign-in, second factor, the account page's list). Off: existing passkeys are kept but unused.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The WebAuthn RP ID: the site's domain (e.g. "id.example.com" or "example.com"), which every passkey is bound to
    /// for good; changing it makes existing passkeys useless. Empty: the request's host in Development, and passkeys
    /// are not offered elsewhere.
    /// </summary>
    public string RelyingPartyId { get; set; } = "";

    /// <summary>
    /// The origins a ceremony may come from (e.g. "https://id.example.com"), each on the RP ID or a subdomain of it.
    /// Empty: the request's own origin in Development; required elsewhere.
    /// </summary>
    public List<string> Origins { get; set; } = [];

    /// <summary>The name authenticators show next to the passkey.</summary>
    public string RelyingPartyName { get; set; } = "WaIdentity";

    /// <summary>How long a ceremony's challenge can be answered.</summary>
    public int ChallengeSeconds { get; set; } = 300;

    /// <summary>Passkey sign-in ceremonies a client IP may start per 15 minutes.</summary>
    public int SignInsPerIpPer15Minutes { get; set; } = 60;

    public IEnumerable<string> Validate(string s)
    {
        foreach (var p in OptionRules.Required($"{s}:RelyingPartyName", RelyingPartyName)) yield return p;
        foreach (var p in OptionRules.InRange($"{s}:ChallengeSeconds", ChallengeSeconds, 30, 600)) yield return p;
        foreach (var p in OptionRules.InRange($"{s}:SignInsPerIpPer15Minutes", SignInsPerIpPer15Minutes, 1, 100000)) yield return p;
        if (RelyingPartyId.Length > 0 && (RelyingPartyId.Contains(':') || RelyingPartyId.Contains('/') || Uri.CheckHostName(RelyingPartyId) != UriHostNameType.Dns))
            yield return $"{s}:RelyingPartyId: must be a domain name without scheme or port (got '{RelyingPartyId}')";
        foreach (var origin in Origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.AbsolutePath != "/" || origin.EndsWith('/'))
                yield return $"{s}:Origins: '{origin}' must be a scheme and host (and port), like https://id.example.com";
            else if (RelyingPartyId.Length > 0 && !(uri.Host == RelyingPartyId || uri.Host.EndsWith("." + RelyingPartyId, StringComparison.Ordinal)))
                yield return $"{s}:Origins: '{origin}' is not on the RP ID '{RelyingPartyId}' or a subdomain of it";
        }
        if (RelyingPartyId.Length > 0 && Origins.Count == 0)
            yield return $"{s}:Origins: name at least one origin when RelyingPartyId is set";
    }
}
