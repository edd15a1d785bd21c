using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Apps;
using WaIdentity.Admin.Audit;
using WaIdentity.Admin.Settings;
using static WaIdentity.Admin.Settings.SettingFieldKind;

namespace WaIdentity.Admin.Pages.Admin.Apps;

/// <summary>Apps users registered on the developer page, those awaiting approval first, and the self-service switches.</summary>
[Authorize(Policy = AdminPolicy.Name)]
public sealed class IndexModel(ISettingsStore store, IAuditLog audit, IStringLocalizer<AdminText> text, IAppAdmin apps) : SettingsPageModel(store, audit, text)
{
    private static readonly IReadOnlyList<SettingFieldGroup> Form =
    [
        new("Apps_SelfService",
        [
            new("Gateway:SelfService:Enabled", Switch, "Apps_Enabled", Hint: "Apps_EnabledHint"),
            new("Gateway:SelfService:RequireApproval", Switch, "Apps_RequireApproval", Hint: "Apps_RequireApprovalHint"),
        ]),
    ];

    public override IReadOnlyList<SettingFieldGroup> Groups => Form;
    protected override string AuditAction => "settings.apps";

    public IReadOnlyList<AppRow> Apps { get; private set; } = [];

    protected override async Task LoadAsync(CancellationToken ct) => Apps = await apps.ListAsync(ct);
}
