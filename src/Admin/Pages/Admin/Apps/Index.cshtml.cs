using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Apps;
using WaIdentity.Admin.Audit;
using WaIdentity.Admin.Settings;

namespace WaIdentity.Admin.Pages.Admin.Apps;

/// <summary>Apps users registered on the developer page, those awaiting approval first, and the self-service switches.</summary>
internal sealed class IndexModel(ISettingsStore store, ISettingsCatalogue catalogue, IAuditLog audit, IStringLocalizer<AdminText> text, IAppAdmin apps)
    : SettingsPageModel(store, catalogue, audit, text)
{
    protected override SettingsPage Shows => SettingsPage.Apps;
    protected override string AuditAction => "settings.apps";

    public IReadOnlyList<AppRow> Apps { get; private set; } = [];

    protected override async Task LoadAsync(CancellationToken ct) => Apps = await apps.ListAsync(ct);
}
