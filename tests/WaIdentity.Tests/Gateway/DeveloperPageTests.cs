using System.Net;
using WaIdentity.IdP.Gateway.SelfService;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Gateway;

/// <summary>The developer page's rules over HTTP: an app is its owner's only (404 for anyone else, on every form), every
/// form needs its antiforgery token, and a signed-out visitor is sent to log in.</summary>
public sealed class DeveloperPageTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Another_users_app_is_not_found_on_any_form_and_forms_need_their_token(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider);
        var server = host.Oidc.Server;
        var ana = await SignedInSession.CreateUserAsync(server, "ana.dev@example.com");
        var budi = await SignedInSession.CreateUserAsync(server, "budi.dev@example.com");
        var registered = await server.InScopeAsync(sp => sp.GetRequiredService<DeveloperApps>().RegisterAsync(ana.Id, "Ana's shop"));
        var clientId = registered.App!.ClientId;
        var path = $"/developer/apps/{clientId}";

        using var owner = server.CreateClient(await SignedInSession.SignInAsync(server, ana.Id, AuthenticationLevels.OneFactor));
        var own = await owner.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var ownToken = AntiforgeryToken.In(await own.Content.ReadAsStringAsync());

        using var other = server.CreateClient(await SignedInSession.SignInAsync(server, budi.Id, AuthenticationLevels.OneFactor));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(path)).StatusCode);
        var otherToken = AntiforgeryToken.In(await (await other.GetAsync("/developer")).Content.ReadAsStringAsync());
        foreach (var (handler, fields) in new[]
        {
            ("Rotate", new Dictionary<string, string>()),
            ("Webhook", new Dictionary<string, string> { ["WebhookUrl"] = "https://example.com/hook" }),
            ("CreateKey", new Dictionary<string, string> { ["KeyName"] = "stolen", ["KeyScopes"] = "wa.send" }),
            ("RevokeKey", new Dictionary<string, string> { ["keyId"] = "x" }),
            ("Replay", new Dictionary<string, string> { ["deliveryId"] = "x" }),
        })
        {
            fields[AntiforgeryToken.FieldName] = otherToken;
            var response = await other.PostAsync($"{path}?handler={handler}", new FormUrlEncodedContent(fields));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Empty(await server.InScopeAsync(sp => sp.GetRequiredService<IdP.Gateway.GatewayApiKeys>().ListAsync(clientId)));

        // Without the antiforgery token the owner's own form is refused.
        var forged = await owner.PostAsync($"{path}?handler=CreateKey", new FormUrlEncodedContent(new Dictionary<string, string> { ["KeyName"] = "x", ["KeyScopes"] = "wa.send" }));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        var withToken = await owner.PostAsync($"{path}?handler=CreateKey", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["KeyName"] = "mine", ["KeyScopes"] = "wa.send", [AntiforgeryToken.FieldName] = ownToken,
        }));
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Contains("wak_", await withToken.Content.ReadAsStringAsync());

        // The owner may choose the webhook secret: too short is refused, a long enough one is what webhooks are signed with.
        var typed = "my-own-webhook-secret-" + new string('x', 20);
        foreach (var (secret, saved) in new[] { (typed[..31], false), (typed, true) })
        {
            var answer = await owner.PostAsync($"{path}?handler=Webhook", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["WebhookUrl"] = "http://127.0.0.1:9/hook", ["WebhookSecret"] = secret, [AntiforgeryToken.FieldName] = ownToken,
            }));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(!saved, (await answer.Content.ReadAsStringAsync()).Contains("dev-problem"));
        }
        Assert.Equal(typed, await server.InScopeAsync(async sp =>
        {
            var settings = sp.GetRequiredService<IdP.Gateway.GatewayClientSettings>();
            return settings.Secret((await settings.FindAsync(clientId))!);
        }));

        using var visitor = server.CreateClient();
        var anonymous = await visitor.GetAsync("/developer");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/login", anonymous.Headers.Location!.OriginalString.Replace(server.BaseAddress.ToString().TrimEnd('/'), ""));
    }

    [Fact]
    public async Task A_refused_webhook_url_is_not_saved_and_its_reason_shows_in_the_webhook_form_in_the_pages_language()
    {
        await using var host = await GatewayTestHost.StartAsync(DatabaseProvider.Sqlite);
        var server = host.Oidc.Server;
        var ana = await SignedInSession.CreateUserAsync(server, "ana.hook@example.com");
        var clientId = (await server.InScopeAsync(sp => sp.GetRequiredService<DeveloperApps>().RegisterAsync(ana.Id, "Ana's shop"))).App!.ClientId;
        var path = $"/developer/apps/{clientId}";
        using var owner = server.CreateClient(await SignedInSession.SignInAsync(server, ana.Id, AuthenticationLevels.OneFactor));

        foreach (var (language, reason) in new[] { ("en", "The webhook URL was refused: it must use https"), ("id", "URL webhook ditolak: harus memakai https") })
        {
            owner.DefaultRequestHeaders.AcceptLanguage.Clear();
            owner.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
            var token = AntiforgeryToken.In(await owner.GetStringAsync(path));
            var answer = await owner.PostAsync($"{path}?handler=Webhook", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["WebhookUrl"] = "http://public.example/hook", [AntiforgeryToken.FieldName] = token,
            }));
            var html = await answer.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var webhookForm = html[html.IndexOf("id=\"webhook\"", StringComparison.Ordinal)..html.IndexOf("id=\"keys\"", StringComparison.Ordinal)];
            Assert.Contains($"role=\"alert\">{reason}", webhookForm);
        }
        Assert.Null((await server.InScopeAsync(sp => sp.GetRequiredService<IdP.Gateway.GatewayClientSettings>().FindAsync(clientId)))?.WebhookUrl);
    }
}
