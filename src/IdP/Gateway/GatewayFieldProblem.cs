namespace WaIdentity.IdP.Gateway;

/// <summary>The rule a client's gateway setting, an API key or a callback URL broke.</summary>
internal enum GatewayRule
{
    /// <summary>No OIDC client has this id (<see cref="GatewayFieldProblem.Value"/>).</summary>
    UnknownClient,
    /// <summary>Not an absolute http(s) URL, or one with user info, a fragment or more than 2,000 characters.</summary>
    NotAnAbsoluteUrl,
    /// <summary>http where only https is allowed (http only for loopback in Development).</summary>
    HttpsRequired,
    /// <summary>A path or query where an origin (scheme://host[:port]) was expected.</summary>
    NotAnOrigin,
    /// <summary>A callback URL outside the client's registered callback origins.</summary>
    OriginNotRegistered,
    /// <summary>The host (<see cref="GatewayFieldProblem.Value"/>) has no address.</summary>
    HostDoesNotResolve,
    /// <summary>The host resolves to a loopback, private or reserved address (<see cref="GatewayFieldProblem.Value"/>).</summary>
    PrivateAddress,
    /// <summary>An API key's name is empty or longer than <see cref="GatewayApiKeys.MaxNameLength"/>.</summary>
    NameLength,
    /// <summary>An API key without scopes.</summary>
    NoScope,
    /// <summary>A scope (<see cref="GatewayFieldProblem.Value"/>) that is not one of the client's gateway scopes
    /// (<see cref="GatewayFieldProblem.Allowed"/>).</summary>
    ScopeNotGranted,
}

/// <summary>
/// What a gateway rule refused, and where. Callers word it: the developer page from its resources by <see cref="Rule"/>;
/// the CLI, start-up and the API's problem details with <see cref="ToString"/>, the operator's English "field: reason".
/// </summary>
/// <param name="Field">The field as the CLI names it ("webhook-url", "scope"), or the API parameter ("callback_url").</param>
/// <param name="Value">What the reason quotes: the URL, host, address, scope or client id given.</param>
/// <param name="Allowed">For <see cref="GatewayRule.ScopeNotGranted"/>: the client's gateway scopes, comma-separated.</param>
internal sealed record GatewayFieldProblem(string Field, GatewayRule Rule, string Value = "", string Allowed = "")
{
    /// <summary>In English, without the field.</summary>
    public string Reason => Rule switch
    {
        GatewayRule.UnknownClient => $"no client '{Value}'",
        GatewayRule.NotAnAbsoluteUrl => $"must be an absolute https URL without user info or fragment (got '{Value}')",
        GatewayRule.HttpsRequired => $"must use https (http only for loopback in Development) (got '{Value}')",
        GatewayRule.NotAnOrigin => $"an origin is scheme://host[:port] only (got '{Value}')",
        GatewayRule.OriginNotRegistered => "its origin is not one of the client's registered callback origins",
        GatewayRule.HostDoesNotResolve => $"the host '{Value}' does not resolve",
        GatewayRule.PrivateAddress => $"the host resolves to a loopback, private or reserved address ({Value}), which is refused",
        GatewayRule.NameLength => $"1 to {GatewayApiKeys.MaxNameLength} characters",
        GatewayRule.NoScope => "at least one",
        GatewayRule.ScopeNotGranted => $"'{Value}' is not one of this client's gateway scopes ({Allowed})",
        _ => throw new ArgumentOutOfRangeException(nameof(Rule), Rule, null),
    };

    public override string ToString() => $"{Field}: {Reason}";

    public static GatewayFieldProblem UnknownClient(string clientId) => new("client", GatewayRule.UnknownClient, clientId);
}
