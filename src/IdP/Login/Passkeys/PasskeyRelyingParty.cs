using Fido2NetLib;
using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Login.Passkeys;

/// <summary>
/// The WebAuthn relying party for a request: the configured RP ID and origins, or in Development the request's own
/// host and origin. Null when passkeys are off or, outside Development, not configured.
/// </summary>
internal sealed class PasskeyRelyingParty(IOptionsMonitor<LoginOptions> options, IHostEnvironment environment)
{
    /// <summary>Passkeys are on and have a relying party (configured, or the request's host in Development).</summary>
    public bool Offered => options.CurrentValue.Passkeys is { Enabled: true } rules && (rules.RelyingPartyId.Length > 0 || environment.IsDevelopment());

    public IFido2? For(HttpContext http)
    {
        if (!Offered) return null;
        var rules = options.CurrentValue.Passkeys;
        var (rpId, origins) = rules.RelyingPartyId.Length > 0
            ? (rules.RelyingPartyId, rules.Origins.ToHashSet(StringComparer.Ordinal))
            : (http.Request.Host.Host, new HashSet<string>(StringComparer.Ordinal) { $"{http.Request.Scheme}://{http.Request.Host}" });
        return new Fido2(new Fido2Configuration
        {
            RPID = rpId,
            RPName = rules.RelyingPartyName,
            Origins = origins,
            Timeout = (uint)(rules.ChallengeSeconds * 1000),
        });
    }
}
