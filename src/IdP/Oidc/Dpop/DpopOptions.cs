using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Oidc.Dpop;

/// <summary>DPoP proof checks (section <c>Oidc:Dpop</c>, RFC 9449).</summary>
internal sealed class DpopOptions
{
    /// <summary>
    /// A proof's iat may be this far from the server's clock, either way; its jti is remembered (on every node) for as
    /// long, so within the window a replay is caught and after it the iat check refuses the proof.
    /// </summary>
    public int ProofWindowSeconds { get; set; } = 60;
    /// <summary>
    /// Proofs must carry a nonce this server issued (RFC 9449 8 and 9). Off by default: the iat window and the shared
    /// jti cache already refuse replays, and a nonce costs each client one extra round trip per nonce lifetime.
    /// </summary>
    public bool RequireNonce { get; set; }
    /// <summary>How long an issued nonce is accepted (with <see cref="RequireNonce"/>).</summary>
    public int NonceLifetimeSeconds { get; set; } = 300;

    public IEnumerable<string> Validate(string section) =>
        OptionRules.InRange($"{section}:ProofWindowSeconds", ProofWindowSeconds, 5, 300)
            .Concat(OptionRules.InRange($"{section}:NonceLifetimeSeconds", NonceLifetimeSeconds, 30, 3600));
}
