using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Gateway.SelfService;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Pages.Developer;

/// <summary>The developer page: the signed-in user's apps (gateway clients they registered) and a form to register one;
/// the new app's client secret is shown once, on the answer to that form.</summary>
internal sealed class IndexModel(DeveloperApps apps, IOptionsMonitor<GatewayOptions> options, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    public IReadOnlyList<DeveloperApp> Apps { get; private set; } = [];
    public DeveloperApp? Registered { get; private set; }
    public string? Secret { get; private set; }
    public string? Error { get; private set; }
    public bool Enabled => options.CurrentValue.SelfService.Enabled;
    public bool RequireApproval => options.CurrentValue.SelfService.RequireApproval;

    private string UserId => User.FindFirstValue(SessionClaims.Subject)!;

    public async Task OnGetAsync(CancellationToken ct) => Apps = await apps.ListAsync(UserId, ct);

    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken ct)
    {
        var result = await apps.RegisterAsync(UserId, Name ?? "", ct);
        (Registered, Secret) = (result.App, result.Secret);
        Error = result.Refusal switch
        {
            AppRegistrationRefusal.Off => t["Dev_Off"].Value,
            AppRegistrationRefusal.BadName => t["Dev_NameWrong", DeveloperApps.MaxNameLength].Value,
            AppRegistrationRefusal.TooMany => t["Dev_TooMany", options.CurrentValue.SelfService.MaxAppsPerUser].Value,
            _ => null,
        };
        if (Registered is not null) Name = null;
        Apps = await apps.ListAsync(UserId, ct);
        return Page();
    }
}
