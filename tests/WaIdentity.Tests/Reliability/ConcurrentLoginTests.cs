using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.Tests.Reliability;

/// <summary>
/// Many people logging in with their phone at the same moment, over real HTTP, on both databases: every request
/// gets an answer a browser can use (no 5xx) and every login ends signed in. Counts outcomes; times nothing.
/// </summary>
public sealed class ConcurrentLoginTests
{
    private const int Logins = 200;
    private const int AtOnce = 16;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_hundred_phone_logins_sixteen_at_a_time_all_sign_in_without_a_server_error(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        // Everyone comes from 127.0.0.1 here: the per-IP limits would refuse what is, in real life, many people.
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings(
            ("Login:Otp:SendsPerIpPerHour", "100000"),
            ("Login:Otp:VerifiesPerIpPerHour", "100000"),
            ("Channel:Limits:PerIpPerHour", "100000"),
            ("Channel:Limits:PerCountryPerHour", "100000")));

        var errors = new ConcurrentBag<string>();
        var signedIn = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, Logins), new ParallelOptions { MaxDegreeOfParallelism = AtOnce }, async (i, _) =>
        {
            if (await LoginAsync(server, ChannelTestKit.NewPhone(), errors)) Interlocked.Increment(ref signedIn);
        });

        Assert.Empty(errors);
        Assert.Equal(Logins, signedIn);
    }

    [Fact]
    public async Task Sqlite_writers_wait_inside_sqlite_for_each_other_on_both_contexts()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);

        // 0 would make a writer that meets another one fail at once, or poll in sleeps that hold a thread.
        Assert.True(await server.InScopeAsync(sp => PragmaAsync(sp.GetRequiredService<IdpDbContext>(), "busy_timeout")) >= 1000);
        Assert.True(await server.InScopeAsync(sp => PragmaAsync(sp.GetRequiredService<ChannelDbContext>(), "busy_timeout")) >= 1000);
    }

    private static async Task<long> PragmaAsync(DbContext context, string name)
    {
        await context.Database.OpenConnectionAsync();
        await using var command = context.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>One person: phone, the code from the dev inbox (as their phone would show it), the code typed in.</summary>
    private static async Task<bool> LoginAsync(IdpTestServer server, string phone, ConcurrentBag<string> errors)
    {
        using var client = server.CreateClient();
        var start = await LoginForms.PostAsync(client, "/login", "/login", ("Phone", phone), ("ReturnUrl", "/"));
        if (!Check(start, "POST /login", errors) || start.StatusCode != HttpStatusCode.Redirect) return false;

        var status = await client.GetAsync("/login/code?handler=Status");
        Check(status, "GET /login/code?handler=Status", errors);
        var inbox = await ChannelTestKit.InboxWhenAsync(server, phone, m => m.Any(i => i.Code is not null));
        var code = inbox.FirstOrDefault(i => i.Code is not null)?.Code;
        if (code is null) { errors.Add("no code delivered"); return false; }

        var verify = await LoginForms.PostAsync(client, "/login/code", "/login/code", ("Code", code));
        if (!Check(verify, "POST /login/code", errors)) return false;
        return verify.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("waid.session="));
    }

    private static bool Check(HttpResponseMessage response, string what, ConcurrentBag<string> errors)
    {
        if ((int)response.StatusCode < 500) return true;
        errors.Add($"{what}: {(int)response.StatusCode}");
        return false;
    }
}
