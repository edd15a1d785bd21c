using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Login;

/// <summary>
/// A code submission cut short after the code was used (the process failed before the session existed) does not
/// use the code up: the same browser flow signs in with the same code, and no other flow can.
/// </summary>
public sealed class InterruptedCodeLoginTests
{
    private const string SessionCookie = "waid.session";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_same_flow_finishes_with_the_same_code_and_another_flow_cannot(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var cut = new CutBeforeFirstSession();
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings(),
            replaceServices: s => s.ConfigureDbContext<IdpDbContext>(b => b.AddInterceptors(cut)));
        var phone = "+62999" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        var firstJar = new CookieContainer();
        using var first = server.CreateClient(firstJar);
        using var second = server.CreateClient();
        await LoginForms.StartAsync(first, phone);
        await LoginForms.StartAsync(second, phone); // joins the phone's live code

        var cutShort = await SubmitAsync(first, WhatsAppOtpBrowserTests.TestCode);
        Assert.Equal(HttpStatusCode.InternalServerError, cutShort.StatusCode);
        Assert.Equal(0, await SessionsAsync(server));

        var other = await SubmitAsync(second, WhatsAppOtpBrowserTests.TestCode);
        Assert.False(SetsSession(other));
        Assert.Contains("This code has already been used.", await other.Content.ReadAsStringAsync());

        using var copy = server.CreateClient(Copy(firstJar, server.BaseAddress)); // the same flow, replayed later
        var again = await SubmitAsync(first, WhatsAppOtpBrowserTests.TestCode);
        Assert.True(SetsSession(again), await again.Content.ReadAsStringAsync());
        Assert.Equal(1, await SessionsAsync(server));

        // Finished now: even the same flow's cookie, replayed, cannot start a second session with the code.
        var replay = await SubmitAsync(copy, WhatsAppOtpBrowserTests.TestCode);
        Assert.False(SetsSession(replay));
        Assert.Equal(1, await SessionsAsync(server));
    }

    private static CookieContainer Copy(CookieContainer jar, Uri site)
    {
        var copy = new CookieContainer();
        foreach (Cookie c in jar.GetCookies(site)) copy.Add(site, new Cookie(c.Name, c.Value, c.Path));
        return copy;
    }

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient browser, string code) =>
        LoginForms.PostAsync(browser, "/login/code", "/login/code", ("Code", code));

    private static bool SetsSession(HttpResponseMessage r) =>
        r.Headers.TryGetValues("Set-Cookie", out var v) && v.Any(c => c.StartsWith(SessionCookie + "=", StringComparison.Ordinal));

    private static Task<int> SessionsAsync(IdpTestServer server) =>
        server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().UserSessions.CountAsync());

    /// <summary>Fails the first save that would create a session, as a crash between using the code and signing in would.</summary>
    private sealed class CutBeforeFirstSession : SaveChangesInterceptor
    {
        private int _armed = 1;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
        {
            var startsSession = eventData.Context!.ChangeTracker.Entries<UserSession>().Any(e => e.State == EntityState.Added);
            if (startsSession && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                eventData.Context.ChangeTracker.Clear();
                throw new IOException("Simulated crash before the session was stored.");
            }
            return base.SavingChangesAsync(eventData, result, ct);
        }
    }
}
