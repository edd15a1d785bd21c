using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Gateway.SelfService;
using WaIdentity.IdP.Sessions;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Pages.Developer;

/// <summary>
/// One of the user's apps: client id and secret rotation, webhook URL and secret, API keys, recent messages and webhook
/// deliveries (with replay), and today's quota use. Every handler first finds the app for the signed-in user: another
/// user's app is 404. Secrets and keys are shown once, on the answer to the form that made them (never redirected to).
/// </summary>
internal sealed class AppModel(DeveloperApps apps, GatewayClientSettings settings, GatewayApiKeys keys, WebhookReplay deliveries,
    IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>A webhook secret someone types must be as strong as a generated one is long enough to be.</summary>
    public const int MinWebhookSecretLength = 32;
    /// <summary>Stored encrypted in a column of bounded size.</summary>
    public const int MaxWebhookSecretLength = 200;

    [FromRoute] public string ClientId { get; set; } = "";
    [BindProperty] public string? WebhookUrl { get; set; }
    [BindProperty] public string? WebhookSecret { get; set; }
    [BindProperty] public bool GenerateSecret { get; set; }
    [BindProperty] public string? KeyName { get; set; }
    [BindProperty] public List<string> KeyScopes { get; set; } = [];

    public DeveloperApp App { get; private set; } = null!;
    public QuotaUse Usage { get; private set; } = null!;
    public IReadOnlyList<GatewayApiKey> Keys { get; private set; } = [];
    public IReadOnlyList<WebhookDelivery> Deliveries { get; private set; } = [];
    public IReadOnlyList<(GatewayMessage Message, DeliveryStatus? Status)> Messages { get; private set; } = [];
    /// <summary>Shown once: a new client secret, webhook secret or API key.</summary>
    public SecretOnce? Once { get; private set; }
    public string? Notice { get; private set; }
    /// <summary>Why the webhook form, or the API key form, was refused: shown in that form.</summary>
    public List<string> WebhookProblems { get; } = [];
    public List<string> KeyProblems { get; } = [];

    private string UserId => User.FindFirstValue(SessionClaims.Subject)!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRotateAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        var secret = await apps.RotateSecretAsync(UserId, ClientId, ct);
        if (secret is null) return NotFound();
        Once = new("client-secret", t["Dev_ClientSecret"], secret);
        Notice = t["Dev_SecretRotated"];
        return Page();
    }

    public async Task<IActionResult> OnPostWebhookAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        var url = WebhookUrl?.Trim() ?? "";
        var typed = string.IsNullOrWhiteSpace(WebhookSecret) ? null : WebhookSecret.Trim();
        if (typed is not null && typed.Length is < MinWebhookSecretLength or > MaxWebhookSecretLength)
        {
            WebhookProblems.Add(t["Dev_WebhookSecretLength", MinWebhookSecretLength, MaxWebhookSecretLength]);
            return Page();
        }
        // The CLI's own rules and storage: URL shape and resolved address, secret generated once or the one given.
        var (secret, problems) = await settings.ConfigureAsync(ClientId, null, url, GenerateSecret && typed is null, ct, typed);
        if (problems.Count > 0)
        {
            if (Gone(problems)) return NotFound();
            WebhookProblems.AddRange(problems.Select(p => t["Dev_WebhookRefused", UrlReason(p)].Value));
            return Page();
        }
        await LoadAsync(ct);
        if (secret is not null) Once = new("webhook-secret", t["Dev_WebhookSecret"], secret);
        Notice = t["Dev_WebhookSaved"];
        return Page();
    }

    public async Task<IActionResult> OnPostCreateKeyAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        var (key, problems) = await keys.CreateAsync(ClientId, KeyName ?? "", KeyScopes.Intersect(App.Scopes).ToList(), ct);
        if (key is null)
        {
            if (Gone(problems)) return NotFound();
            KeyProblems.AddRange(problems.Select(p => p.Rule == GatewayRule.NameLength
                ? t["Dev_NameWrong", GatewayApiKeys.MaxNameLength].Value : t["Dev_KeyScopeNeeded"].Value).Distinct());
            return Page();
        }
        await LoadAsync(ct);
        KeyName = null;
        Once = new("api-key", t["Dev_ApiKey"], key.Key);
        Notice = t["Dev_KeyCreated", key.Record.Name];
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeKeyAsync(string keyId, CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        if (!await keys.RevokeAsync(ClientId, keyId, ct)) return NotFound();
        await LoadAsync(ct);
        Notice = t["Dev_KeyRevoked"];
        return Page();
    }

    public async Task<IActionResult> OnPostReplayAsync(string deliveryId, CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        // Only this app's own deliveries: another client's id is as unknown here as a made-up one.
        if (await deliveries.FindAsync(deliveryId, ct) is not { } d || d.ClientId != ClientId || !await deliveries.ReplayAsync(deliveryId, ct)) return NotFound();
        await LoadAsync(ct);
        Notice = t["Dev_Replayed"];
        return Page();
    }

    /// <summary>The app was deleted between loading it and saving.</summary>
    private static bool Gone(List<GatewayFieldProblem> problems) => problems.Any(p => p.Rule == GatewayRule.UnknownClient);

    /// <summary>Why the webhook URL was refused, in the page's language (the form sends no origins, so only URL rules apply).</summary>
    private string UrlReason(GatewayFieldProblem problem) => problem.Rule switch
    {
        GatewayRule.NotAnAbsoluteUrl => t["Dev_UrlNotAbsolute"],
        GatewayRule.HttpsRequired => t["Dev_UrlHttpsRequired"],
        GatewayRule.HostDoesNotResolve => t["Dev_UrlNoAddress", problem.Value],
        GatewayRule.PrivateAddress => t["Dev_UrlPrivateAddress", problem.Value],
        _ => problem.Reason,
    };

    /// <summary>False when the signed-in user has no app with this id.</summary>
    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await apps.FindAsync(UserId, ClientId, ct) is not { } app) return false;
        App = app;
        Usage = await apps.UsageAsync(app, ct);
        Keys = await keys.ListAsync(ClientId, ct);
        Deliveries = await deliveries.ListAsync(null, 20, ct, ClientId);
        Messages = await apps.RecentMessagesAsync(ClientId, 10, ct);
        WebhookUrl ??= app.WebhookUrl;
        return true;
    }
}
