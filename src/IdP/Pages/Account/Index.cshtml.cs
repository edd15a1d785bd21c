using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WaIdentity.IdP.Account;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Pages.Account;

/// <summary>The account home: profile, phone, second factor status, active sessions and connected apps.</summary>
internal sealed class IndexModel(
    UserManager<IdpUser> users, AccountSessions sessions, ConnectedApps apps, TotpStore totp, ReauthGate gate, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty, StringLength(100)] public string? DisplayName { get; set; }
    [BindProperty, EmailAddress, StringLength(256)] public string? Email { get; set; }
    public IdpUser Me { get; private set; } = null!;
    public bool TotpEnabled { get; private set; }
    public IReadOnlyList<SessionView> Sessions { get; private set; } = [];
    public IReadOnlyList<ConnectedApp> Apps { get; private set; } = [];
    public string? Notice { get; private set; }
    public string? Error { get; private set; }

    private string UserId => User.FindFirstValue(SessionClaims.Subject)!;
    private string SessionId => User.FindFirstValue(SessionClaims.SessionId)!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await ShowAsync(ct, fill: true);

    public async Task<IActionResult> OnPostProfileAsync(CancellationToken ct)
    {
        var user = await users.FindByIdAsync(UserId);
        if (user is null) return Forbid();
        if (!ModelState.IsValid) return await ShowAsync(ct, error: t["Account_ProfileInvalid"]);
        var email = string.IsNullOrWhiteSpace(Email) ? null : Email.Trim();
        if (!string.Equals(email, user.Email, StringComparison.OrdinalIgnoreCase))
        {
            // The email is a login name for the password: changing it is an authentication change (ASVS 7.5.1).
            if (!gate.IsFresh(HttpContext)) return LocalRedirect(ReauthGate.RedirectFor("/account"));
            if (email is not null && await users.FindByEmailAsync(email) is { } other && other.Id != user.Id)
                return await ShowAsync(ct, error: t["Account_EmailTaken"]);
            await users.SetEmailAsync(user, email);
        }
        user.DisplayName = string.IsNullOrWhiteSpace(DisplayName) ? null : DisplayName.Trim();
        await users.UpdateAsync(user);
        return await ShowAsync(ct, fill: true, notice: t["Account_ProfileSaved"]);
    }

    public async Task<IActionResult> OnPostEndSessionAsync(string handle, CancellationToken ct)
    {
        var ended = await sessions.EndAsync(UserId, handle ?? "", ct);
        return await ShowAsync(ct, fill: true, notice: ended ? t["Account_SessionEnded"].Value : null);
    }

    public async Task<IActionResult> OnPostEndOthersAsync(CancellationToken ct)
    {
        var count = await sessions.EndOthersAsync(UserId, SessionId, ct);
        return await ShowAsync(ct, fill: true, notice: t["Account_SessionsEnded", count]);
    }

    public async Task<IActionResult> OnPostRevokeAsync(string clientId, CancellationToken ct)
    {
        var revoked = await apps.RevokeAsync(UserId, clientId ?? "", ct);
        return await ShowAsync(ct, fill: true, notice: revoked ? t["Account_AppRevoked"].Value : null);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct, bool fill = false, string? notice = null, string? error = null)
    {
        var me = await users.FindByIdAsync(UserId);
        if (me is null) return Forbid();
        Me = me;
        if (fill)
        {
            DisplayName = me.DisplayName;
            Email = me.Email;
        }
        TotpEnabled = await totp.IsEnabledAsync(me.Id, ct);
        Sessions = await sessions.ActiveAsync(me.Id, SessionId, ct);
        Apps = await apps.ListAsync(me.Id, ct);
        Notice = notice;
        Error = error;
        return Page();
    }
}
