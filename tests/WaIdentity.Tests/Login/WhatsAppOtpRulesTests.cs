using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Login;

/// <summary>The code rules that need exact timing or a second browser, over real HTTP on both databases.</summary>
public sealed class WhatsAppOtpRulesTests
{
    private const string Phone = "+6299912345678";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_same_code_submitted_twice_at_once_logs_in_exactly_once(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings());
        var cookies = new CookieContainer();
        var client = server.CreateClient(cookies);
        await LoginForms.StartAsync(client, Phone);
        var token = await LoginForms.TokenAsync(client, "/login/code");

        // Six copies of one submission, each with the browser's cookies as they were before any answer. Sharing one
        // cookie jar let the winner's session cookie reach requests a busy machine had not sent yet; their anonymous
        // antiforgery token then no longer matched the signed-in user (403), which no simultaneous submit can meet.
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            var copy = new CookieContainer();
            copy.Add(cookies.GetCookies(server.BaseAddress));
            using var sender = server.CreateClient(copy);
            return await LoginForms.PostWithTokenAsync(sender, "/login/code", token, ("Code", WhatsAppOtpBrowserTests.TestCode));
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(responses, r => r.Headers.TryGetValues("Refresh", out var v) && v.Single() == "0;url=/?from=app");
        Assert.Single(responses, r => r.Headers.TryGetValues("Set-Cookie", out var v) && v.Any(c => c.StartsWith("waid.session=")));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Wrong_codes_count_per_phone_across_codes_and_login_attempts(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings(("Login:Otp:FailuresBeforeDelay", "3")));
        var first = server.CreateClient();
        await LoginForms.StartAsync(first, Phone);
        for (var i = 0; i < 3; i++)
            await LoginForms.PostAsync(first, "/login/code", "/login/code", ("Code", "111111"));

        // A second browser, a fresh code: the phone's failures were not reset by the new code.
        var second = server.CreateClient();
        await LoginForms.StartAsync(second, Phone);
        var response = await LoginForms.PostAsync(second, "/login/code", "/login/code", ("Code", WhatsAppOtpBrowserTests.TestCode));

        // People read the page; scripts and monitors read the status: a limit is 429 with the wait in Retry-After.
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Matches("Too many wrong codes for this number. Try again in [0-9]+ s.", await response.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_known_and_an_unknown_phone_get_the_same_answers(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings(("Login:AutoRegister", "false")));
        await server.InScopeAsync(async sp => await sp.GetRequiredService<UserManager<IdpUser>>().CreateAsync(
            new IdpUser { UserName = "known", PhoneNumber = "+6299911111111", PhoneNumberConfirmed = true }));

        var known = await AnswersAsync(server, "+6299911111111");
        var unknown = await AnswersAsync(server, "+6299922222222");

        for (var i = 0; i < known.Length; i++) Assert.Equal(known[i], unknown[i]);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Without_self_registration_an_unknown_phone_gets_nothing_though_its_code_takes_the_same_path(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings(("Login:AutoRegister", "false")));
        var knownPhone = ChannelTestKit.NewPhone();
        var unknownPhone = ChannelTestKit.NewPhone();
        await server.InScopeAsync(async sp => await sp.GetRequiredService<UserManager<IdpUser>>().CreateAsync(
            new IdpUser { UserName = "known", PhoneNumber = knownPhone, PhoneNumberConfirmed = true }));

        await LoginForms.StartAsync(server.CreateClient(), knownPhone);
        await LoginForms.StartAsync(server.CreateClient(), unknownPhone);

        Assert.Single(await ChannelTestKit.InboxWhenAsync(server, knownPhone, m => m.Count == 1));
        // The unknown phone's code went through the outbox like the known one's (same writes, same limits), suppressed.
        var unknownRows = await ChannelTestKit.MessagesToAsync(server, unknownPhone);
        Assert.True(Assert.Single(unknownRows).Suppressed);
        Assert.False(Assert.Single(await ChannelTestKit.MessagesToAsync(server, knownPhone)).Suppressed);
        Assert.Empty(await ChannelTestKit.InboxAsync(server, unknownPhone));
    }

    /// <summary>Start, the code page, a wrong code: what a prober sees, with tokens and the masked digits blanked.</summary>
    private static async Task<string[]> AnswersAsync(IdpTestServer server, string phone)
    {
        var client = server.CreateClient();
        var start = await LoginForms.StartAsync(client, phone);
        var page = await client.GetStringAsync("/login/code");
        var wrong = await LoginForms.PostAsync(client, "/login/code", "/login/code", ("Code", "111111"));
        return [start.Headers.Location!.OriginalString, Blank(page), Blank(await wrong.Content.ReadAsStringAsync())];
    }

    private static string Blank(string html) =>
        Regex.Replace(Regex.Replace(html, "(value|data-wait)=\"[^\"]+\"", "$1=\"\""), "(nonce=\"[^\"]+\")|((•|&#x2022;)+ [0-9]{3})", "");
}
