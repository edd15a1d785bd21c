using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using WaIdentity.IdP.Account;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Pages.Login;

/// <summary>
/// The second step of a login (after the password or a phone login, when the policy, the client or acr_values asks),
/// or a step-up of an existing loa:1 session. Success makes a new session (new sid) at loa:2 for the same user.
/// </summary>
internal sealed class SecondFactorModel(
    FactorCheckServices services, PendingSecondFactorCookie pendingCookie, SessionSignIn signIn, RememberedDevice devices, NotMeLinks notMe) : FactorCheckPage(services)
{
    private PendingSecondFactor? _pending;

    /// <summary>True when an existing session is being stepped up (no login in progress).</summary>
    public bool StepUp => _pending is null;
    /// <summary>What the first step was, in words: a password, or a phone (a WhatsApp/SMS code or message).</summary>
    public string IntroKey => StepUp ? "Mfa_StepUpIntro"
        : FirstAmr.Contains(AuthenticationLevels.AmrPassword) ? "Mfa_Intro" : "Mfa_IntroAfterPhone";
    public override bool RememberOffered => devices.Offered;

    protected override async Task<(IdpUser User, IReadOnlyList<string> Amr)?> FindSubjectAsync(CancellationToken ct)
    {
        _pending = pendingCookie.Read(HttpContext);
        if (_pending is not null)
        {
            ReturnUrl = _pending.ReturnUrl;
            return await Services.Users.FindByIdAsync(_pending.UserId) is { } user ? (user, _pending.Amr) : null;
        }
        if (User.FindFirstValue(SessionClaims.Subject) is not { } sub || await Services.Users.FindByIdAsync(sub) is not { } current) return null;
        ReturnUrl = ReturnUrls.Sanitize(ReturnUrl);
        return (current, User.FindAll(SessionClaims.Amr).Select(c => c.Value).ToList());
    }

    protected override async Task<IActionResult> SucceedAsync(IReadOnlyList<string> addedAmr, CancellationToken ct)
    {
        var previousSid = StepUp ? User.FindFirstValue(SessionClaims.SessionId) : null;
        UserSession session;
        try { session = await signIn.SignInAsync(HttpContext, Subject.Id, SecondFactorAmr.Combine(FirstAmr, addedAmr), AuthenticationLevels.TwoFactors, ct); }
        catch (AccountLockedException)
        {
            Error = Services.T["Login_AccountLocked"];
            return Page();
        }
        // Step-up keeps the user but not the session id: the loa:1 session ends, a new one carries loa:2.
        if (previousSid is not null) await signIn.EndAsync(previousSid, ct);
        if (Remember) await devices.RememberAsync(HttpContext, Subject);
        pendingCookie.Clear(HttpContext);
        if (_pending?.NotMePhone is { } phone) await notMe.SendAsync(HttpContext, session, phone, Services.Options.CurrentValue.SendCode.SiteName, ct);
        ContinueUrl = LoginContinuation.Start(Response, ReturnUrl);
        return Page();
    }
}
