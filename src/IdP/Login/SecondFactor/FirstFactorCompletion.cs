using Microsoft.AspNetCore.Identity;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>Where a login page goes after its first factor: signed in, or on to the second factor or to enrolment.</summary>
/// <param name="Session">Set when signed in now.</param>
/// <param name="RedirectUrl">Set when the second factor (or enrolment) comes next.</param>
internal sealed record FirstFactorResult(UserSession? Session, string? RedirectUrl);

/// <summary>
/// Every first factor (password, WhatsApp code, send-code) ends here. When a second factor is required: a remembered
/// device signs in at loa:2 with amr "device"; a user with a factor goes to <c>/login/second-factor</c>; a user with
/// none is signed in at loa:1 and sent to enrolment, which steps the session up when the authenticator is verified.
/// </summary>
internal sealed class FirstFactorCompletion(
    SecondFactorPolicy policy, PendingSecondFactorCookie pending, RememberedDevice devices, SessionSignIn signIn, UserManager<IdpUser> users)
{
    public const string SecondFactorPath = "/login/second-factor";
    public const string EnrolPath = "/account/security";

    /// <exception cref="AccountLockedException">The account is locked.</exception>
    public async Task<FirstFactorResult> CompleteAsync(HttpContext http, string userId, IReadOnlyList<string> amr, string returnUrl, string? notMePhone, CancellationToken ct)
    {
        var url = ReturnUrls.Sanitize(returnUrl);
        if (!await policy.RequiredAsync(userId, url, ct))
            return new(await signIn.SignInAsync(http, userId, amr, AuthenticationLevels.OneFactor, ct), null);

        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException("The user vanished during login.");
        if (await devices.IsRememberedAsync(http, user))
            return new(await signIn.SignInAsync(http, userId, SecondFactorAmr.Combine(amr, [SecondFactorAmr.RememberedDevice]), AuthenticationLevels.TwoFactors, ct), null);

        if ((await policy.MethodsAsync(user, amr, ct)).Any)
        {
            if (await users.IsLockedOutAsync(user)) throw new AccountLockedException();
            pending.Set(http, new PendingSecondFactor(userId, amr, url, notMePhone));
            return new(null, $"{SecondFactorPath}?returnUrl={Uri.EscapeDataString(url)}");
        }
        var session = await signIn.SignInAsync(http, userId, amr, AuthenticationLevels.OneFactor, ct);
        return new(session, $"{EnrolPath}?returnUrl={Uri.EscapeDataString(url)}");
    }
}
