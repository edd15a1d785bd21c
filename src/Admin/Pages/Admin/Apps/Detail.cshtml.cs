using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Apps;
using WaIdentity.Admin.Audit;

namespace WaIdentity.Admin.Pages.Admin.Apps;

/// <summary>One self-registered app: approve it, set its own daily quotas, list and revoke its API keys. Each change is audited.</summary>
internal sealed class DetailModel(IAppAdmin apps, IAuditLog audit, IStringLocalizer<AdminText> text) : PageModel
{
    [FromRoute] public string ClientId { get; set; } = "";
    [BindProperty] public string? MessageQuota { get; set; }
    [BindProperty] public string? VerificationQuota { get; set; }
    public AppRow App { get; private set; } = null!;
    public IReadOnlyList<ApiKeyRow> Keys { get; private set; } = [];
    public List<string> Problems { get; } = [];
    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostApproveAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        if (await apps.ApproveAsync(ClientId, ct))
            await audit.RecordAsync(AdminActor.Id(User), "app.approve", $"client:{ClientId}", new { Approved = false }, new { Approved = true }, ct);
        Message = text["Apps_ApprovedDone", App.Name];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostQuotasAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        var (messages, okM) = Quota(MessageQuota);
        var (verifications, okV) = Quota(VerificationQuota);
        if (!okM || !okV) Problems.Add(text["Apps_QuotaWrong"]);
        else
        {
            var problems = await apps.SetQuotasAsync(ClientId, messages, verifications, ct);
            if (problems.Count > 0) Problems.Add(text["Apps_QuotaWrong"]);
        }
        if (Problems.Count > 0) return Page();
        await audit.RecordAsync(AdminActor.Id(User), "app.quotas", $"client:{ClientId}",
            new { Messages = App.DailyMessageQuota, Verifications = App.DailyVerificationQuota }, new { Messages = messages, Verifications = verifications }, ct);
        Message = text["Apps_QuotasSaved"];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeKeyAsync(string keyId, CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        if (!await apps.RevokeKeyAsync(ClientId, keyId, ct)) return NotFound();
        await audit.RecordAsync(AdminActor.Id(User), "app.key-revoke", $"client:{ClientId}", new { Key = keyId, Revoked = false }, new { Key = keyId, Revoked = true }, ct);
        Message = text["Apps_KeyRevoked"];
        return RedirectToPage();
    }

    /// <summary>Empty: the server-wide value (null); else a whole number (the host checks its range).</summary>
    private static (int? Value, bool Ok) Quota(string? posted) =>
        string.IsNullOrWhiteSpace(posted) ? (null, true)
        : int.TryParse(posted.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? (n, true) : (null, false);

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await apps.FindAsync(ClientId, ct) is not { } app) return false;
        App = app;
        Keys = await apps.KeysAsync(ClientId, ct);
        if (Request.Method == "GET") (MessageQuota, VerificationQuota) = (app.DailyMessageQuota?.ToString(CultureInfo.InvariantCulture), app.DailyVerificationQuota?.ToString(CultureInfo.InvariantCulture));
        return true;
    }
}
