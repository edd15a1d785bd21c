using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Audit;
using WaIdentity.Admin.Users;

namespace WaIdentity.Admin.Pages.Admin.Users;

internal sealed class DetailModel(IUserDirectory users, IUserPasskeys passkeys, IAuditLog audit, IStringLocalizer<AdminText> text) : PageModel
{
    public UserDetail? Detail { get; private set; }
    public IReadOnlyList<UserPasskeyInfo> Passkeys { get; private set; } = [];
    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        Detail = await users.FindAsync(id, ct);
        if (Detail is null) return NotFound();
        Passkeys = await passkeys.ListAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemovePasskeyAsync(string id, string? passkeyId, CancellationToken ct)
    {
        var passkey = (await passkeys.ListAsync(id, ct)).FirstOrDefault(p => p.Id == passkeyId);
        if (passkey is null) return NotFound();
        await passkeys.RemoveAsync(id, passkey.Id, ct);
        await audit.RecordAsync(AdminActor.Id(User), "user.remove-passkey", $"user:{id}", new { passkey.Id, passkey.Name, passkey.CreatedAt }, null, ct);
        Message = text["Users_PasskeyRemovedDone", passkey.Name];
        return RedirectToPage(new { id });
    }

    public Task<IActionResult> OnPostLockAsync(string id, CancellationToken ct) =>
        ChangeAsync(id, "user.lock", () => users.SetLockedAsync(id, true, ct), text["Users_LockedDone"], ct);

    public Task<IActionResult> OnPostUnlockAsync(string id, CancellationToken ct) =>
        ChangeAsync(id, "user.unlock", () => users.SetLockedAsync(id, false, ct), text["Users_UnlockedDone"], ct);

    public Task<IActionResult> OnPostRevokeSessionsAsync(string id, CancellationToken ct) =>
        ChangeAsync(id, "user.revoke-sessions", () => users.RevokeSessionsAsync(id, ct), text["Users_RevokedDone"], ct);

    public Task<IActionResult> OnPostResetSecondFactorAsync(string id, CancellationToken ct) =>
        ChangeAsync(id, "user.reset-2fa", () => users.ResetSecondFactorAsync(id, ct), text["Users_ResetSecondFactorDone"], ct);

    public async Task<IActionResult> OnPostRevokeConsentAsync(string id, string? clientId, CancellationToken ct)
    {
        var user = await users.FindAsync(id, ct);
        var consent = user?.Consents.FirstOrDefault(c => c.ClientId == clientId);
        if (consent is null) return NotFound();
        await users.RevokeConsentAsync(id, consent.ClientId, ct);
        await audit.RecordAsync(AdminActor.Id(User), "user.revoke-consent", $"user:{id}",
            new { consent.ClientId, consent.Scopes }, null, ct);
        Message = text["Users_ConsentRevokedDone"];
        return RedirectToPage(new { id });
    }

    /// <summary>Runs one change and records it in the audit log with the user's state before and after.</summary>
    private async Task<IActionResult> ChangeAsync(string id, string action, Func<Task> change, string done, CancellationToken ct)
    {
        var before = await users.FindAsync(id, ct);
        if (before is null) return NotFound();
        await change();
        var after = await users.FindAsync(id, ct);
        await audit.RecordAsync(AdminActor.Id(User), action, $"user:{id}", AuditView(before), AuditView(after), ct);
        Message = done;
        return RedirectToPage(new { id });
    }

    private static object? AuditView(UserDetail? d) =>
        d is null ? null : new { d.User.Locked, ActiveSessions = d.Sessions.Count(s => s.Active), d.TwoFactorEnabled };
}
