using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using WaIdentity.IdP.Account;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Pages.Account;

/// <summary>
/// Re-authentication before changing the phone or second factors: the strongest factor the user has (authenticator
/// or recovery code, a WhatsApp code to the verified phone, or the password when there is nothing else).
/// </summary>
internal sealed class ReauthModel(FactorCheckServices services, ReauthGate gate) : FactorCheckPage(services)
{
    public override bool PasswordOffered => !Methods.Any && Subject.PasswordHash is not null;

    protected override async Task<(IdpUser User, IReadOnlyList<string> Amr)?> FindSubjectAsync(CancellationToken ct)
    {
        ReturnUrl = ReturnUrl is { Length: > 0 } ? ReturnUrls.Sanitize(ReturnUrl) : "/account";
        var user = User.FindFirstValue(SessionClaims.Subject) is { } sub ? await Services.Users.FindByIdAsync(sub) : null;
        return user is null ? null : (user, []);
    }

    protected override Task<IActionResult> SucceedAsync(IReadOnlyList<string> addedAmr, CancellationToken ct)
    {
        gate.Record(HttpContext);
        return Task.FromResult<IActionResult>(LocalRedirect(ReturnUrl!));
    }
}
