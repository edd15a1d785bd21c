using WaIdentity.IdP.Configuration;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Dpop;

namespace WaIdentity.IdP.Oidc;

/// <summary>The authorization server's settings (section <c>Oidc</c>). Defaults follow docs/security.md.</summary>
internal sealed class OidcOptions : IValidatableOptions
{
    public const string Section = "Oidc";

    /// <summary>The issuer URL. Empty: taken from the request (scheme, host, path base).</summary>
    public string Issuer { get; set; } = "";

    /// <summary>Authorization code lifetime; the issue caps it at 60 s.</summary>
    public int AuthorizationCodeLifetimeSeconds { get; set; } = 60;
    public int AccessTokenLifetimeSeconds { get; set; } = 600;
    public int IdTokenLifetimeSeconds { get; set; } = 600;
    /// <summary>A refresh token unused this long expires (RFC 9700 2.2.2).</summary>
    public int RefreshTokenIdleHours { get; set; } = 24 * 7;
    /// <summary>A refresh family ends this long after the login, however often it is used (ASVS 10.4.8).</summary>
    public int RefreshTokenAbsoluteHours { get; set; } = 24 * 30;
    /// <summary>How long a user has to log in (and consent) before the authorization request is forgotten.</summary>
    public int PendingRequestMinutes { get; set; } = 10;
    /// <summary>A signing key signs for this many days, then the next one takes over.</summary>
    public int KeyRotationDays { get; set; } = 30;
    /// <summary>The next key appears in JWKS this long before it starts signing, so relying parties have it cached.</summary>
    public int KeyPublishAheadHours { get; set; } = 48;
    /// <summary>Token requests per client per minute, counted across all nodes.</summary>
    public int TokenRequestsPerClientPerMinute { get; set; } = 600;
    /// <summary>How long a node keeps a client in memory; a change made on another node is seen within this time. 0: no cache.</summary>
    public int ClientCacheSeconds { get; set; } = 10;
    /// <summary>How long a device authorization request (RFC 8628) waits for the user: its expires_in.</summary>
    public int DeviceCodeLifetimeSeconds { get; set; } = 600;
    /// <summary>The seconds a device waits between token polls at first (each slow_down adds 5).</summary>
    public int DevicePollingIntervalSeconds { get; set; } = 5;
    /// <summary>Wrong user codes one address may enter on the verification page per hour.</summary>
    public int DeviceUserCodeTriesPerIpPerHour { get; set; } = 20;
    /// <summary>Wrong user codes all addresses together may enter per hour: a distributed guesser meets this.</summary>
    public int DeviceUserCodeTriesPerHour { get; set; } = 2000;
    /// <summary>Where the authorize endpoint sends a user who has to log in.</summary>
    public string LoginPath { get; set; } = "/login";
    /// <summary>DPoP proof checks (RFC 9449).</summary>
    public DpopOptions Dpop { get; set; } = new();
    /// <summary>Clients declared in configuration, upserted at start.</summary>
    public List<ClientDefinition> Clients { get; set; } = [];

    public IEnumerable<string> Validate(string section)
    {
        var problems = OptionRules.InRange($"{section}:AuthorizationCodeLifetimeSeconds", AuthorizationCodeLifetimeSeconds, 5, 60)
            .Concat(OptionRules.InRange($"{section}:AccessTokenLifetimeSeconds", AccessTokenLifetimeSeconds, 30, 86_400))
            .Concat(OptionRules.InRange($"{section}:IdTokenLifetimeSeconds", IdTokenLifetimeSeconds, 30, 86_400))
            .Concat(OptionRules.InRange($"{section}:RefreshTokenIdleHours", RefreshTokenIdleHours, 1, 24 * 365))
            .Concat(OptionRules.InRange($"{section}:RefreshTokenAbsoluteHours", RefreshTokenAbsoluteHours, RefreshTokenIdleHours, 24 * 365))
            .Concat(OptionRules.InRange($"{section}:PendingRequestMinutes", PendingRequestMinutes, 1, 60))
            .Concat(OptionRules.InRange($"{section}:KeyRotationDays", KeyRotationDays, 1, 365))
            .Concat(OptionRules.InRange($"{section}:KeyPublishAheadHours", KeyPublishAheadHours, 1, 24 * 30))
            .Concat(OptionRules.InRange($"{section}:TokenRequestsPerClientPerMinute", TokenRequestsPerClientPerMinute, 1, 1_000_000))
            .Concat(OptionRules.InRange($"{section}:ClientCacheSeconds", ClientCacheSeconds, 0, 300))
            .Concat(OptionRules.InRange($"{section}:DeviceCodeLifetimeSeconds", DeviceCodeLifetimeSeconds, 60, 3600))
            .Concat(OptionRules.InRange($"{section}:DevicePollingIntervalSeconds", DevicePollingIntervalSeconds, 1, 60))
            .Concat(OptionRules.InRange($"{section}:DeviceUserCodeTriesPerIpPerHour", DeviceUserCodeTriesPerIpPerHour, 1, 10_000))
            .Concat(OptionRules.InRange($"{section}:DeviceUserCodeTriesPerHour", DeviceUserCodeTriesPerHour, 1, 1_000_000));
        if (Issuer.Length > 0) problems = problems.Concat(OptionRules.AbsoluteHttpUrl($"{section}:Issuer", Issuer));
        if (KeyPublishAheadHours >= KeyRotationDays * 24)
            problems = problems.Append($"{section}:KeyPublishAheadHours: must be shorter than KeyRotationDays ({KeyRotationDays * 24} h) (got {KeyPublishAheadHours})");
        if (!LoginPath.StartsWith('/')) problems = problems.Append($"{section}:LoginPath: must start with / (got '{LoginPath}')");
        problems = problems.Concat(Dpop.Validate($"{section}:Dpop"));
        return problems.Concat(Clients.SelectMany((c, i) => c.Validate($"{section}:Clients:{i}")));
    }
}
