using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using QRCoder;
using WaIdentity.IdP.Account;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.Passkeys;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Pages.Account;

/// <summary>
/// Second-factor management, behind a fresh re-authentication: enrol an authenticator (QR + manual key, a code
/// verified before it is enabled, then recovery codes shown once), regenerate recovery codes, or turn it off.
/// Enabling also steps the session up to loa:2 (a code from the new authenticator was just checked), which is how a
/// user sent here by a Required policy continues their login.
/// </summary>
internal sealed class SecurityModel(
    UserManager<IdpUser> users, TotpStore totp, RecoveryCodeStore recovery, RememberedDevice devices, SecurityNotice notice, ReauthGate gate,
    SessionSignIn signIn, IOptionsMonitor<LoginOptions> options, IStringLocalizer<SharedResource> t,
    PasskeyRelyingParty relyingParty, PasskeyRegistration registration, PasskeyStore passkeys) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Code { get; set; }
    public bool TotpEnabled { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public string? ManualKey { get; private set; }
    public string? QrDataUri { get; private set; }
    /// <summary>Shown once, right after they are made.</summary>
    public IReadOnlyList<string>? NewRecoveryCodes { get; private set; }
    /// <summary>"?confirm=disable": the page asks before turning the authenticator off.</summary>
    [BindProperty(SupportsGet = true, Name = "confirm")] public string? Confirm { get; set; }
    public bool ConfirmDisable => Confirm == "disable";
    /// <summary>The text of the "download" button's file: the codes, one a line, and what they are for.</summary>
    public string RecoveryCodesFile => string.Join("\n", [t["Account_RecoveryFileTitle"].Value, "", .. NewRecoveryCodes ?? []]) + "\n";
    [BindProperty] public string? Credential { get; set; }
    [BindProperty] public string? PasskeyName { get; set; }
    [BindProperty] public string? PasskeyId { get; set; }
    public bool PasskeysOffered => relyingParty.Offered;
    public IReadOnlyList<Passkey> Passkeys { get; private set; } = [];
    public string? Notice { get; private set; }
    public string? Error { get; private set; }
    public string ContinueUrl => ReturnUrls.Sanitize(ReturnUrl is { Length: > 0 } ? ReturnUrl : "/account");

    private string UserId => User.FindFirstValue(SessionClaims.Subject)!;
    private string SessionId => User.FindFirstValue(SessionClaims.SessionId)!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        gate.IsFresh(HttpContext) ? await ShowAsync(ct) : Reauthenticate();

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken ct)
    {
        if (!gate.IsFresh(HttpContext)) return Reauthenticate();
        var code = new string((Code ?? "").Where(char.IsAsciiDigit).ToArray());
        if (!await totp.EnableAsync(UserId, code, ct))
        {
            Error = t["Mfa_CodeWrong"];
            return await ShowAsync(ct);
        }
        var user = (await users.FindByIdAsync(UserId))!;
        await users.SetTwoFactorEnabledAsync(user, true);
        NewRecoveryCodes = await recovery.RegenerateAsync(UserId, ct);
        await notice.SendAsync(UserId, "Account_NoticeTotpEnabled", ct: ct);
        var amr = SecondFactorAmr.Combine(User.FindAll(SessionClaims.Amr).Select(c => c.Value), [AuthenticationLevels.AmrOtp]);
        var previousSid = User.FindFirstValue(SessionClaims.SessionId)!;
        await signIn.SignInAsync(HttpContext, UserId, amr, AuthenticationLevels.TwoFactors, ct);
        await signIn.EndAsync(previousSid, ct);
        Notice = t["Account_TotpEnabled"];
        return await ShowAsync(ct, enabledNow: true);
    }

    public async Task<IActionResult> OnPostRegenerateAsync(CancellationToken ct)
    {
        if (!gate.IsFresh(HttpContext)) return Reauthenticate();
        if (!await totp.IsEnabledAsync(UserId, ct)) return await ShowAsync(ct);
        NewRecoveryCodes = await recovery.RegenerateAsync(UserId, ct);
        await notice.SendAsync(UserId, "Account_NoticeRecoveryRegenerated", ct: ct);
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken ct)
    {
        if (!gate.IsFresh(HttpContext)) return Reauthenticate();
        await totp.RemoveAsync(UserId, ct);
        await recovery.RemoveAsync(UserId, ct);
        var user = (await users.FindByIdAsync(UserId))!;
        await users.SetTwoFactorEnabledAsync(user, false);
        await devices.ForgetAllAsync(user);
        await notice.SendAsync(UserId, "Account_NoticeTotpDisabled", ct: ct);
        Notice = t["Account_TotpDisabled"];
        return await ShowAsync(ct);
    }

    /// <summary>The creation options for the browser (JSON); the ceremony is bound to this session.</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync(CancellationToken ct)
    {
        if (!gate.IsFresh(HttpContext)) return StatusCode(StatusCodes.Status403Forbidden);
        return await registration.BeginAsync(HttpContext, UserId, SessionId, ct) is { } json ? Content(json, "application/json") : NotFound();
    }

    public async Task<IActionResult> OnPostPasskeyAddAsync(CancellationToken ct)
    {
        if (!gate.IsFresh(HttpContext)) return Reauthenticate();
        var count = await passkeys.ListAsync(UserId, ct);
        var name = PasskeyStore.CleanName(PasskeyName ?? "") is { Length: > 0 } typed ? typed : t["Passkey_DefaultName", count.Count + 1].Value;
        var added = await registration.FinishAsync(HttpContext, UserId, SessionId, Credential, name, ct);
        if (added.Added is null) Error = LoginMessages.Describe(t, added.Failure!.Value);
        else
        {
            await notice.SendAsync(UserId, "Account_NoticePasskeyAdded", ct: ct);
            Notice = t["Passkey_Added", added.Added.Name];
        }
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostPasskeyRenameAsync(CancellationToken ct)
    {
        if (!gate.IsFresh(HttpContext)) return Reauthenticate();
        var name = PasskeyStore.CleanName(PasskeyName ?? "");
        if (name.Length > 0 && await passkeys.RenameAsync(UserId, PasskeyId ?? "", name, ct)) Notice = t["Passkey_Renamed", name];
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostPasskeyRemoveAsync(CancellationToken ct)
    {
        if (!gate.IsFresh(HttpContext)) return Reauthenticate();
        if (await passkeys.RemoveAsync(UserId, PasskeyId ?? "", ct))
        {
            await notice.SendAsync(UserId, "Account_NoticePasskeyRemoved", ct: ct);
            Notice = t["Passkey_Removed"];
        }
        return await ShowAsync(ct);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct, bool enabledNow = false)
    {
        if (PasskeysOffered) Passkeys = await passkeys.ListAsync(UserId, ct);
        TotpEnabled = enabledNow || await totp.IsEnabledAsync(UserId, ct);
        if (TotpEnabled) RecoveryCodesLeft = await recovery.RemainingAsync(UserId, ct);
        else
        {
            ManualKey = await totp.PendingSecretAsync(UserId, ct);
            QrDataUri = Qr(await OtpAuthUriAsync(ManualKey));
        }
        return Page();
    }

    /// <summary>The Key Uri Format authenticator apps read: otpauth://totp/Issuer:account?secret=...&amp;issuer=...</summary>
    private async Task<string> OtpAuthUriAsync(string secret)
    {
        var user = (await users.FindByIdAsync(UserId))!;
        var issuer = options.CurrentValue.SecondFactor.IssuerName;
        var account = user.Email ?? user.PhoneNumber ?? user.UserName ?? user.Id;
        return $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={secret}&issuer={Uri.EscapeDataString(issuer)}" +
               $"&algorithm=SHA1&digits={AuthenticatorCode.Digits}&period={AuthenticatorCode.StepSeconds}";
    }

    private static string Qr(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(new SvgQRCode(data).GetGraphic(4)));
    }

    private IActionResult Reauthenticate() =>
        LocalRedirect(ReauthGate.RedirectFor($"/account/security?returnUrl={Uri.EscapeDataString(ContinueUrl)}"));
}
