namespace WaIdentity.IdP.Gateway;

/// <summary>Why the gateway turned a call away before the endpoint's own work: the credential, the scope, the app's
/// approval, a limit, the page's origin or the body. <see cref="GatewayProblem.Denied"/> is the one place each becomes
/// problem details.</summary>
internal abstract record GatewayDenial
{
    /// <summary>No bearer token or Token header at all (401 without an error code, RFC 6750 section 3.1).</summary>
    public sealed record NoToken : GatewayDenial;

    public sealed record InvalidToken : GatewayDenial;

    public sealed record InsufficientScope(string Scope) : GatewayDenial;

    public sealed record AppNotApproved : GatewayDenial;

    /// <param name="What">The limit used up, as the detail names it ("per-minute request limit", "daily messages quota").</param>
    public sealed record RateLimited(TimeSpan RetryAfter, string What) : GatewayDenial;

    public sealed record ForeignOrigin(string Origin) : GatewayDenial;

    public sealed record NotJson : GatewayDenial;

    public sealed record TooLarge(int MaxBytes) : GatewayDenial;

    /// <param name="Detail">What is wrong with the body, in English for the API caller.</param>
    public sealed record BadBody(string Detail) : GatewayDenial;
}
