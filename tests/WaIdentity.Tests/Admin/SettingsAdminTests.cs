using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.Admin.Settings;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Settings;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Configuration;

namespace WaIdentity.Tests.Admin;

/// <summary>The settings overlay behind the login-methods page: validated before saving, applied without a restart, on every node.</summary>
public sealed class SettingsAdminTests
{
    private const string Page = "/admin/login-methods";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_saved_setting_applies_at_once_here_and_within_a_poll_on_another_node(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var settings = new Dictionary<string, string?> { ["Settings:PollSeconds"] = "1" };
        await using var nodeA = await IdpTestServer.StartAsync(db, settings);
        await using var nodeB = await IdpTestServer.StartAsync(db, settings);
        using var portal = await AdminPortal.SignInAsync(nodeA);
        using var visitorA = nodeA.CreateClient();
        using var visitorB = nodeB.CreateClient();
        Assert.Contains("id=\"password-login\"", await visitorB.GetStringAsync("/login"));

        var save = await portal.PostAsync(Page, ("Login:PasswordEnabled", "false"));

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.DoesNotContain("id=\"password-login\"", await visitorA.GetStringAsync("/login"));
        Assert.Equal(HttpStatusCode.NotFound, (await visitorA.GetAsync("/login/password")).StatusCode);
        await Eventually.ValueAsync(() => visitorB.GetStringAsync("/login"), html => !html.Contains("id=\"password-login\""), TimeSpan.FromSeconds(10));
        var audit = await portal.GetAsync("/admin/audit");
        Assert.Contains("settings.login-methods", audit);
        Assert.Contains("Login:PasswordEnabled", audit);
        Assert.Contains("Set in the portal", await portal.GetAsync(Page));
    }

    [Fact]
    public async Task A_value_its_rule_refuses_is_not_saved_and_the_message_sits_next_to_the_field()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        using var portal = await AdminPortal.SignInAsync(server);

        // The portal's own range is checked first; the options' rules then see what passes it.
        var outOfRange = await (await portal.PostAsync(Page, ("Login:Otp:CodeLength", "3"), ("Login:PasswordEnabled", "false"))).Content.ReadAsStringAsync();
        var response = await portal.PostAsync(Page, ("Channel:Limits:AllowedCountryCodes", "62, 6x"), ("Login:PasswordEnabled", "false"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("id=\"f-Login-Otp-CodeLength-error\">Enter a whole number from 6 to 10.<", outOfRange);
        Assert.Matches("id=\"f-Channel-Limits-AllowedCountryCodes-error\">&#x27;6x&#x27; is not a country calling code", html);
        Assert.Equal(0, await server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<SettingRow>().CountAsync()));
        Assert.Contains("id=\"password-login\"", await server.CreateClient().GetStringAsync("/login"));
    }

    [Fact]
    public async Task Switching_off_every_login_method_is_refused()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        using var portal = await AdminPortal.SignInAsync(server);

        var html = await (await portal.PostAsync(Page, ("Login:WhatsAppOtpEnabled", "false"), ("Login:PasswordEnabled", "false"),
            ("Login:SendCodeEnabled", "false"))).Content.ReadAsStringAsync();

        Assert.Matches("id=\"f-Login-WhatsAppOtpEnabled-error\">at least one login method", html);
        var login = await server.CreateClient().GetStringAsync("/login");
        Assert.Contains("id=\"phone-form\"", login);
    }

    [Fact]
    public async Task A_shorter_country_list_replaces_the_configured_one_and_an_empty_list_allows_all()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, new Dictionary<string, string?>
        {
            ["Channel:Limits:AllowedCountryCodes:0"] = "62",
            ["Channel:Limits:AllowedCountryCodes:1"] = "65",
            ["Channel:Limits:AllowedCountryCodes:2"] = "1",
        });
        using var portal = await AdminPortal.SignInAsync(server);
        var monitor = server.Services.GetRequiredService<IOptionsMonitor<ChannelOptions>>();
        Assert.Equal(["62", "65", "1"], monitor.CurrentValue.Limits.AllowedCountryCodes);

        await portal.PostAsync(Page, ("Channel:Limits:AllowedCountryCodes", "44"));
        Assert.Equal(["44"], monitor.CurrentValue.Limits.AllowedCountryCodes);
        Assert.Contains("value=\"44\"", await portal.GetAsync(Page));

        await portal.PostAsync(Page, ("Channel:Limits:AllowedCountryCodes", ""));
        Assert.Empty(monitor.CurrentValue.Limits.AllowedCountryCodes);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_secret_is_stored_encrypted_applied_and_never_shown_back(DatabaseProvider provider)
    {
        const string token = "EAAG-very-secret-token-123";
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db);
        using var portal = await AdminPortal.SignInAsync(server);

        var result = await server.InScopeAsync(sp => sp.GetRequiredService<ISettingsStore>()
            .SaveAsync(new Dictionary<string, string?> { ["Channel:WhatsApp:AccessToken"] = token }, portal.Admin.Id));

        Assert.True(result.Saved);
        Assert.Equal("(set)", result.After["Channel:WhatsApp:AccessToken"]);
        var stored = await server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<SettingRow>().SingleAsync());
        Assert.DoesNotContain(token, stored.Value);
        Assert.Equal(token, server.Services.GetRequiredService<IOptionsMonitor<ChannelOptions>>().CurrentValue.WhatsApp.AccessToken);
        var read = await server.InScopeAsync(sp => Task.FromResult(sp.GetRequiredService<ISettingsStore>().Read(["Channel:WhatsApp:AccessToken"])));
        Assert.Equal(new SettingValue(null, IsSet: true, FromPortal: true), read["Channel:WhatsApp:AccessToken"]);
        var empty = await server.InScopeAsync(sp => sp.GetRequiredService<ISettingsStore>()
            .SaveAsync(new Dictionary<string, string?> { ["Channel:WhatsApp:AccessToken"] = "" }, portal.Admin.Id));
        Assert.Empty(empty.After);
        Assert.Equal(token, server.Services.GetRequiredService<IOptionsMonitor<ChannelOptions>>().CurrentValue.WhatsApp.AccessToken);
    }

    /// <summary>
    /// The catalogue is the one declaration: every editable setting is a field on its page, a choice offers exactly
    /// its enum's names, and every label, hint and choice label exists in English and Indonesian.
    /// </summary>
    [Fact]
    public async Task Every_editable_setting_is_a_field_on_its_page_labelled_in_both_languages()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        using var portal = await AdminPortal.SignInAsync(server);
        var groups = server.Services.GetRequiredService<ISettingsCatalogue>().Groups;
        var pages = new Dictionary<SettingsPage, string>
        {
            [SettingsPage.LoginMethods] = Page, [SettingsPage.Apps] = "/admin/apps", [SettingsPage.WhatsApp] = "/admin/whatsapp",
        };
        var text = new System.Resources.ResourceManager("WaIdentity.Admin.Resources.AdminText", typeof(WaIdentity.Admin.AdminText).Assembly);
        var english = text.GetResourceSet(System.Globalization.CultureInfo.InvariantCulture, true, false)!;
        var indonesian = text.GetResourceSet(System.Globalization.CultureInfo.GetCultureInfo("id"), true, false)!;

        Assert.Equal(EditableSettings.All.Select(s => s.Key), groups.SelectMany(g => g.Fields).Select(f => f.Key));
        foreach (var group in groups)
        {
            var html = await portal.GetAsync(pages[group.Page]);
            foreach (var field in group.Fields)
            {
                Assert.Contains($"id=\"{field.Id}\"", html);
                foreach (var choice in field.Choices ?? []) Assert.Contains($"<option value=\"{choice}\"", html);
            }
            var keys = group.Fields.SelectMany(f => new[] { f.Label, f.Hint }.Concat((f.Choices ?? []).Select(c => $"{f.Label}_{c}")))
                .Append(group.Title).Append(group.Note).OfType<string>();
            foreach (var key in keys)
            {
                Assert.False(string.IsNullOrEmpty(english.GetString(key)), $"{key} has no English text");
                Assert.False(string.IsNullOrEmpty(indonesian.GetString(key)), $"{key} has no Indonesian text");
            }
        }
    }

    [Fact]
    public async Task A_key_outside_the_allow_list_is_refused()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);

        var result = await server.InScopeAsync(sp => sp.GetRequiredService<ISettingsStore>()
            .SaveAsync(new Dictionary<string, string?> { ["Database:ConnectionString"] = "Data Source=/tmp/evil.db" }, "someone"));

        Assert.False(result.Saved);
        Assert.Equal(0, await server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<SettingRow>().CountAsync()));
    }
}
