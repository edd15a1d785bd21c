using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Gateway;

/// <summary>The account API's own session (the <c>wa_token</c> cookie): who holds it, and ending it server-side.</summary>
internal sealed class AccountApiSession(SessionSignIn sessions)
{
    /// <summary>The signed-in user's id, or null.</summary>
    public static async Task<string?> SubjectAsync(HttpContext http) =>
        (await http.AuthenticateAsync(AccountApiCookie.Scheme)).Principal?.FindFirstValue(SessionClaims.Subject);

    /// <summary>Ends the server-side session and clears the cookie; nothing happens without one.</summary>
    public async Task EndAsync(HttpContext http, CancellationToken ct)
    {
        var result = await http.AuthenticateAsync(AccountApiCookie.Scheme);
        if (result.Principal?.FindFirstValue(SessionClaims.SessionId) is not { } sid) return;
        await sessions.EndAsync(sid, ct);
        await http.SignOutAsync(AccountApiCookie.Scheme);
    }
}
