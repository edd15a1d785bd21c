using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;

namespace WaIdentity.Tests.Infrastructure;

/// <summary>
/// A session made by the server's own <see cref="SessionSignIn"/>, as a login method would make it, for tests of pages
/// behind login (the login methods themselves are tested through the browser).
/// </summary>
internal static class SignedInSession
{
    public static async Task<IdpUser> CreateUserAsync(IdpTestServer server, string email, string? role = null) =>
        await server.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<IdpUser>>();
            var user = new IdpUser { UserName = email, Email = email, CreatedAt = DateTimeOffset.UtcNow };
            Check(await users.CreateAsync(user));
            if (role is not null)
            {
                var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
                if (!await roles.RoleExistsAsync(role)) Check(await roles.CreateAsync(new IdentityRole(role)));
                Check(await users.AddToRoleAsync(user, role));
            }
            return user;
        });

    /// <summary>Signs the user in on the server and returns a cookie jar holding the session cookie.</summary>
    public static async Task<CookieContainer> SignInAsync(IdpTestServer server, string userId, string acr)
    {
        var setCookie = await server.InScopeAsync(async sp =>
        {
            var http = new DefaultHttpContext { RequestServices = sp };
            http.Request.Scheme = server.BaseAddress.Scheme;
            http.Request.Host = new HostString(server.BaseAddress.Authority);
            await sp.GetRequiredService<SessionSignIn>().SignInAsync(http, userId, [AuthenticationLevels.AmrPassword], acr);
            return http.Response.Headers.SetCookie.ToArray();
        });
        var jar = new CookieContainer();
        foreach (var header in setCookie) jar.SetCookies(server.BaseAddress, header!);
        return jar;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
