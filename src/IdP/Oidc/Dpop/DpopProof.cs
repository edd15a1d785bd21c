namespace WaIdentity.IdP.Oidc.Dpop;

/// <summary>A DPoP proof that passed every check: the RFC 7638 thumbprint of its key binds tokens to that key.</summary>
internal sealed record DpopProof(string Jkt);

/// <summary>The outcome of checking a DPoP proof.</summary>
internal abstract record DpopProofResult
{
    public sealed record Valid(DpopProof Proof) : DpopProofResult;
    /// <summary>The proof is malformed, badly signed, or not for this request (RFC 9449 error invalid_dpop_proof).</summary>
    public sealed record Invalid(string Description) : DpopProofResult;
    /// <summary>The proof lacks a current server nonce (RFC 9449 error use_dpop_nonce): retry with the one in DPoP-Nonce.</summary>
    public sealed record NonceRequired(string Description) : DpopProofResult;
}

/// <summary>The RFC 9449 error codes and header names.</summary>
internal static class DpopNames
{
    public const string Header = "DPoP";
    public const string NonceHeader = "DPoP-Nonce";
    public const string Scheme = "DPoP";
    public const string TokenType = "DPoP";
    public const string InvalidProof = "invalid_dpop_proof";
    public const string UseNonce = "use_dpop_nonce";
    public const string JktParameter = "dpop_jkt";
}
