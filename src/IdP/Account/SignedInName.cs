using System.Data.Common;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Account;

/// <summary>
/// Who the page header says is logged in: the person's name, else the email, else the phone number. The person sees
/// their own details only, so nothing is masked.
/// </summary>
internal sealed class SignedInName(UserManager<IdpUser> users)
{
    public async Task<string?> ReadAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true || principal.FindFirstValue(SessionClaims.Subject) is not { } id) return null;
        IdpUser? user;
        // The header is on error pages too, which must still render while the database is unreachable.
        try { user = await users.FindByIdAsync(id); }
        catch (Exception e) when (e is DbException or InvalidOperationException) { return null; }
        return user is null ? null : new[] { user.DisplayName, user.Email, user.PhoneNumber }.FirstOrDefault(s => !string.IsNullOrWhiteSpace(s)) ?? user.UserName;
    }
}
