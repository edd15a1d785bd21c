using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Login;

/// <summary>One number, however it is typed, is one account and one limit key; stored numbers the plans refuse are reported, never rewritten.</summary>
public sealed class PhoneCanonicalFormTests
{
    private const string UkPhone = "+447400123456";

    [Fact]
    public async Task A_uk_number_typed_three_ways_is_one_account_and_one_limit_key()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings(
            ("Channel:Limits:PerPhonePerHour", "4"), ("Channel:Limits:AllowedCountryCodes:0", "44"), ("Login:Otp:ResendCooldownSeconds", "0")));

        // "(0)" after +44 is the trunk prefix; "07400 ..." with the United Kingdom picked; the 00 international prefix.
        var first = server.CreateClient();
        await LoginForms.StartAsync(first, "+44 (0) 7400 123456");
        await SignInWithLatestCodeAsync(server, first, 1);
        var second = server.CreateClient();
        var start = await LoginForms.PostAsync(second, "/login", "/login", ("Phone", "07400 123456"), ("Country", "GB"), ("ReturnUrl", "/?from=app"));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        await SignInWithLatestCodeAsync(server, second, 2);
        await LoginForms.StartAsync(server.CreateClient(), "0044 7400 123456");
        await LoginForms.StartAsync(server.CreateClient(), "+447400123456");

        // The fifth send to the same number, written yet another way, meets the one per-phone limit.
        var refused = await LoginForms.PostAsync(server.CreateClient(), "/login", "/login", ("Phone", "+44 7400 123 456"), ("ReturnUrl", "/"));
        Assert.Contains("Too many codes were requested", await refused.Content.ReadAsStringAsync());
        Assert.Equal(4, (await ChannelTestKit.MessagesToAsync(server, UkPhone)).Count);
        var phones = await server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Users.Select(u => u.PhoneNumber).ToListAsync());
        Assert.Equal([UkPhone], phones);
    }

    [Fact]
    public async Task The_cli_lists_stored_numbers_the_plans_refuse_and_changes_none()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var stored = new[] { "+4407700900123", "+6299912345678", "+18005551212", "+6281234567890", "+14155552671" };
        await using (var server = await IdpTestServer.StartAsync(db))
            foreach (var (phone, i) in stored.Select((p, i) => (p, i)))
                await server.InScopeAsync(async sp => await sp.GetRequiredService<UserManager<IdpUser>>().CreateAsync(
                    new IdpUser { UserName = $"user{i}", PhoneNumber = phone, PhoneNumberConfirmed = true }));

        var check = await IdpCli.RunAsync(["phones", "check"], db.Settings);

        Assert.True(check.ExitCode == 0, check.StdErr);
        var listed = JsonDocument.Parse(check.StdOut).RootElement.EnumerateArray()
            .ToDictionary(e => e.GetProperty("phone").GetString()!, e => (e.GetProperty("problem").GetString(), e.GetProperty("canonical").GetString()));
        Assert.Equal(3, listed.Count);
        Assert.Equal(("not a valid number", "+447700900123"), listed["+4407700900123"]);
        Assert.Equal("not a valid number", listed["+6299912345678"].Item1);
        Assert.Equal("not a mobile number", listed["+18005551212"].Item1);
        await using var after = await IdpTestServer.StartAsync(db);
        var phones = await after.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Users.Select(u => u.PhoneNumber!).ToListAsync());
        Assert.Equal(stored.Order(), phones.Order());
    }

    private static async Task SignInWithLatestCodeAsync(IdpTestServer server, HttpClient client, int sends)
    {
        var inbox = await ChannelTestKit.InboxWhenAsync(server, UkPhone, i => i.Count(m => m.Code is not null) >= sends);
        var code = inbox.Where(m => m.Code is not null).OrderBy(m => m.CreatedAt).Last().Code!;
        var response = await LoginForms.PostAsync(client, "/login/code", "/login/code", ("Code", code));
        Assert.True(response.Headers.Contains("Refresh"), await response.Content.ReadAsStringAsync());
    }
}
