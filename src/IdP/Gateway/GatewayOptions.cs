using System.Text.RegularExpressions;
using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Gateway;

/// <summary>The gateway API's limits and webhook delivery rules (section "Gateway"), checked at start-up.</summary>
internal sealed class GatewayOptions : IValidatableOptions
{
    public const string Section = "Gateway";

    /// <summary>API requests per client per minute (every /api/v1 call counts).</summary>
    public int RequestsPerMinute { get; set; } = 120;
    /// <summary>Messages a client may queue per UTC day.</summary>
    public int DailyMessageQuota { get; set; } = 1000;
    /// <summary>Verification codes a client may request per UTC day.</summary>
    public int DailyVerificationQuota { get; set; } = 1000;
    /// <summary>The number users send verification codes to (E.164). Empty: Login:SendCode:BusinessNumber is used.</summary>
    public string? BusinessNumber { get; set; }
    /// <summary>Named in the prefilled verification message.</summary>
    public string SiteName { get; set; } = "WaIdentity";
    public int VerificationLifetimeSeconds { get; set; } = 600;
    /// <summary>Serve the OpenAPI document and Swagger UI at /apidocs (public: they describe the API, hold no secret).</summary>
    public bool ApiDocs { get; set; } = true;
    public WebhookRules Webhooks { get; set; } = new();
    public AccountRules Account { get; set; } = new();
    public SelfServiceRules SelfService { get; set; } = new();
    /// <summary>Gateway settings for clients declared in configuration (the client itself comes from Oidc:Clients).</summary>
    public List<GatewayClientDefinition> Clients { get; set; } = [];

    public IEnumerable<string> Validate(string s)
    {
        var problems = OptionRules.InRange($"{s}:RequestsPerMinute", RequestsPerMinute, 1, 100_000)
            .Concat(OptionRules.InRange($"{s}:DailyMessageQuota", DailyMessageQuota, 0, 10_000_000))
            .Concat(OptionRules.InRange($"{s}:DailyVerificationQuota", DailyVerificationQuota, 0, 10_000_000))
            .Concat(OptionRules.InRange($"{s}:VerificationLifetimeSeconds", VerificationLifetimeSeconds, 60, 3600))
            .Concat(OptionRules.Required($"{s}:SiteName", SiteName))
            .Concat(Webhooks.Validate($"{s}:Webhooks"))
            .Concat(Account.Validate($"{s}:Account"))
            .Concat(SelfService.Validate($"{s}:SelfService"))
            .Concat(Clients.SelectMany((c, i) => c.Validate($"{s}:Clients:{i}")));
        foreach (var p in problems) yield return p;
        if (!string.IsNullOrEmpty(BusinessNumber) && !Regex.IsMatch(BusinessNumber, "^\\+[1-9][0-9]{7,14}$"))
            yield return $"{s}:BusinessNumber: must be E.164 like +6281100000000 (got '{BusinessNumber}')";
    }
}

internal sealed class WebhookRules
{
    /// <summary>Tries before a delivery is dead-lettered (it can be replayed later).</summary>
    public int MaxAttempts { get; set; } = 8;
    /// <summary>Delay before the first retry; each retry doubles it (capped at an hour).</summary>
    public int RetryBaseSeconds { get; set; } = 30;
    /// <summary>How often each node looks for due deliveries queued elsewhere (one queued on a node goes out at once).</summary>
    public int DeliveryIntervalSeconds { get; set; } = 5;
    public int TimeoutSeconds { get; set; } = 10;
    /// <summary>Due deliveries one node looks at per turn (besides those it is already sending).</summary>
    public int BatchSize { get; set; } = 50;
    /// <summary>Deliveries one node sends at once, so one slow app never holds the others.</summary>
    public int Concurrency { get; set; } = 4;
    /// <summary>How long a claimed delivery is reserved for the node sending it; renewed while it is sent, so a node
    /// that dies delays it by at most this long.</summary>
    public int LeaseSeconds { get; set; } = 30;
    /// <summary>Allow callbacks and webhooks to loopback/private addresses (and http to loopback). Unset: only in Development.</summary>
    public bool? AllowPrivateAddresses { get; set; }

    public IEnumerable<string> Validate(string s) =>
        OptionRules.InRange($"{s}:MaxAttempts", MaxAttempts, 1, 50)
            .Concat(OptionRules.InRange($"{s}:RetryBaseSeconds", RetryBaseSeconds, 1, 3600))
            .Concat(OptionRules.InRange($"{s}:DeliveryIntervalSeconds", DeliveryIntervalSeconds, 1, 3600))
            .Concat(OptionRules.InRange($"{s}:TimeoutSeconds", TimeoutSeconds, 1, 120))
            .Concat(OptionRules.InRange($"{s}:BatchSize", BatchSize, 1, 1000))
            .Concat(OptionRules.InRange($"{s}:Concurrency", Concurrency, 1, 64))
            .Concat(OptionRules.InRange($"{s}:LeaseSeconds", LeaseSeconds, 1, 3600));
}

/// <summary>The account API (/api/auth). Its login tries are limited by Login:Password, shared with the password page.</summary>
internal sealed class AccountRules
{
    /// <summary>Registrations per client IP per hour.</summary>
    public int RegistrationsPerHour { get; set; } = 20;
    /// <summary>Default or Wapiz (a string, so a typo is a clear start-up error, not a binder exception).</summary>
    public string Compatibility { get; set; } = nameof(AccountApiCompatibility.Default);

    public AccountApiCompatibility Shape =>
        Enum.TryParse<AccountApiCompatibility>(Compatibility, ignoreCase: true, out var shape) ? shape : AccountApiCompatibility.Default;

    public IEnumerable<string> Validate(string s) =>
        OptionRules.InRange($"{s}:RegistrationsPerHour", RegistrationsPerHour, 1, 100_000)
            .Concat(OptionRules.OneOf($"{s}:Compatibility", Compatibility, Enum.GetNames<AccountApiCompatibility>()));
}

/// <summary>Apps users register themselves on the developer page (/developer).</summary>
internal sealed class SelfServiceRules
{
    /// <summary>Signed-in users may register apps at /developer.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>A self-registered app may not use the API (403 app-not-approved) until an admin approves it.</summary>
    public bool RequireApproval { get; set; }
    /// <summary>Apps one user may register.</summary>
    public int MaxAppsPerUser { get; set; } = 5;

    public IEnumerable<string> Validate(string s) => OptionRules.InRange($"{s}:MaxAppsPerUser", MaxAppsPerUser, 1, 100);
}

/// <summary>A client's gateway settings in configuration. The webhook secret is supplied by the operator (e.g. from an
/// environment variable), since a generated one could not be shown to anyone.</summary>
internal sealed class GatewayClientDefinition
{
    public string ClientId { get; set; } = "";
    public List<string> CallbackOrigins { get; set; } = [];
    public string? WebhookUrl { get; set; }
    public string? WebhookSecret { get; set; }

    public IEnumerable<string> Validate(string key)
    {
        foreach (var p in OptionRules.Required($"{key}:ClientId", ClientId)) yield return p;
        if (WebhookSecret is null || WebhookSecret.Length < 32) yield return $"{key}:WebhookSecret: at least 32 characters (the server signs webhooks with it)";
    }
}
