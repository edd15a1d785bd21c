using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Providers.CloudApi;
using WaIdentity.WaChannel.Sandbox;
using WaIdentity.WaChannel.Webhooks;

namespace WaIdentity.Tests.Oidc;

/// <summary>
/// The device grant approved by a press of the WhatsApp question's Approve / Refuse button, driven as a command-line
/// client drives it (a poll loop on the token endpoint): the question goes as the configured template (delivered
/// outside the 24-hour window) or, without one, as an interactive message; the dev inbox presses the button, which
/// posts the signed webhook the Cloud API would.
/// </summary>
public sealed class DeviceApprovalButtonTests
{
    private const string Template = "device_approval";

    private static Dictionary<string, string?> Settings(bool template = true)
    {
        var settings = ChannelTestKit.Settings(("Oidc:DeviceCodeLifetimeSeconds", "3600"));
        if (!template) return settings;
        settings["Channel:WhatsApp:QuestionTemplate:Name"] = Template;
        settings["Channel:WhatsApp:QuestionTemplate:Languages:en"] = "en_US";
        settings["Channel:WhatsApp:QuestionTemplate:Languages:id"] = "id";
        return settings;
    }

    private static Task<List<ChannelTestKit.InboxItem>> QuestionAsync(OidcTestHost host, DeviceClient tv) =>
        ChannelTestKit.InboxWhenAsync(host.Server, OidcTestHost.Phone, m => m.Any(x => x.Text.Contains(tv.UserCode) && x.State != "accepted"));

    private static async Task<Inboxed> QuestionItemAsync(OidcTestHost host, DeviceClient tv)
    {
        await QuestionAsync(host, tv);
        using var client = host.Server.CreateClient();
        var items = await client.GetFromJsonAsync<List<Inboxed>>($"/dev/inbox/api/messages?to={Uri.EscapeDataString(OidcTestHost.Phone)}", new JsonSerializerOptions(JsonSerializerDefaults.Web));
        return items!.First(x => x.Text.Contains(tv.UserCode));
    }

    private sealed record Inboxed(string Id, string Text, string State, List<string> Buttons);

    /// <summary>Presses button <paramref name="index"/> under the message as its phone, through the dev inbox API.</summary>
    private static async Task PressAsync(OidcTestHost host, string messageId, int index)
    {
        using var client = host.Server.CreateClient();
        var response = await client.PostAsJsonAsync($"/dev/inbox/api/messages/{Uri.EscapeDataString(messageId)}/press", new { button = index });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>The payloads the emulator received with the question's buttons (Approve first).</summary>
    private static async Task<List<string>> PayloadsAsync(OidcTestHost host, string messageId)
    {
        var json = await host.Server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<SandboxMessage>()
            .Where(m => m.Id == messageId).Select(m => m.Buttons).SingleAsync());
        return SandboxButtons.FromJson(json)!.Buttons.Select(b => b.Payload).ToList();
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Approve_pressed_on_the_template_signs_the_device_in_although_the_phone_never_wrote_to_the_business(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider, Settings());
        await DeviceClient.RegisterAsync(host);
        var tv = new DeviceClient(host);
        // No message from the phone first: outside the 24-hour window only a template reaches it.
        var (status, _) = await tv.StartAsync(loginHint: OidcTestHost.Phone);
        Assert.Equal(200, status);
        Assert.Equal("authorization_pending", DeviceClient.Error((await tv.PollAsync()).Body));

        var question = await QuestionItemAsync(host, tv);
        // The template's words (as the emulator's business account holds them) filled with app, place and user code.
        Assert.Equal($"Approve sign-in to {DeviceClient.DisplayName} from this computer? Code: {tv.UserCode}. If you did not ask for this, press Refuse.", question.Text);
        Assert.Equal(["Approve", "Refuse"], question.Buttons);
        Assert.NotEqual("failed", question.State);
        await PressAsync(host, question.Id, 0);

        var (tokenStatus, tokens) = await tv.PollUntilAnsweredAsync(ChannelTestKit.Patience);
        Assert.Equal(200, tokenStatus);
        var idToken = new JsonWebToken(tokens.GetProperty("id_token").GetString());
        Assert.Equal(host.UserId, idToken.Subject);
        Assert.Equal(["wa"], idToken.GetPayloadValue<string[]>("amr"));
        // The press opened the window: the confirmation goes as a free text.
        await ChannelTestKit.InboxWhenAsync(host.Server, OidcTestHost.Phone, m => m.Any(x => x.Text == $"Approved: sign-in on {DeviceClient.DisplayName}."));
    }

    [Fact]
    public async Task Refuse_pressed_denies_the_device_and_a_later_Approve_press_changes_nothing()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, Settings());
        await DeviceClient.RegisterAsync(host);
        var tv = new DeviceClient(host);
        await tv.StartAsync(loginHint: OidcTestHost.Phone, uiLocales: "id");
        var question = await QuestionItemAsync(host, tv);
        Assert.StartsWith($"Setujui masuk ke {DeviceClient.DisplayName} dari komputer ini? Kode: {tv.UserCode}.", question.Text);
        Assert.Equal(["Setujui", "Tolak"], question.Buttons);

        await PressAsync(host, question.Id, 1);
        var (status, body) = await tv.PollUntilAnsweredAsync(ChannelTestKit.Patience);
        Assert.Equal(400, status);
        Assert.Equal("access_denied", DeviceClient.Error(body));
        await ChannelTestKit.InboxWhenAsync(host.Server, OidcTestHost.Phone, m => m.Any(x => x.Text == $"Ditolak: {DeviceClient.DisplayName} tidak dimasukkan."));

        await PressAsync(host, question.Id, 0);
        await ProcessedAsync(host);
        var (againStatus, again) = await tv.PollAfterIntervalAsync();
        Assert.Equal(400, againStatus);
        Assert.Equal("access_denied", DeviceClient.Error(again));
    }

    [Fact]
    public async Task A_press_from_another_phone_a_forged_or_stale_payload_and_a_replay_after_the_answer_do_nothing()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, Settings());
        await DeviceClient.RegisterAsync(host);
        var tv = new DeviceClient(host);
        await tv.StartAsync(loginHint: OidcTestHost.Phone);
        var question = await QuestionItemAsync(host, tv);
        var payloads = await PayloadsAsync(host, question.Id);
        Assert.All(payloads, p => Assert.DoesNotContain(tv.UserCode, p));
        Assert.All(payloads, p => Assert.DoesNotContain(tv.UserCode.Replace("-", ""), p));

        // Someone with an account of their own presses with the real payload (a forwarded message): nothing.
        var stranger = ChannelTestKit.NewPhone();
        await host.CreateUserAsync("budi@example.com", "another horse battery", "Budi", stranger);
        var now = host.Server.Clock.GetUtcNow();
        await SendPressAsync(host, stranger, payloads[0], now);
        // The asked phone with a made-up reference, or the user code in its place: nothing.
        await SendPressAsync(host, OidcTestHost.Phone, "device-approve:" + Convert.ToBase64String(new byte[32]).TrimEnd('='), now);
        await SendPressAsync(host, OidcTestHost.Phone, "device-approve:" + tv.UserCode, now);
        await ProcessedAsync(host);
        Assert.Equal("authorization_pending", DeviceClient.Error((await tv.PollAfterIntervalAsync()).Body));
        // The real press, but delivered more than five minutes after it was made: nothing.
        var pressedThen = host.Server.Clock.GetUtcNow();
        host.Server.Clock.Advance(TimeSpan.FromMinutes(6));
        await SendPressAsync(host, OidcTestHost.Phone, payloads[0], pressedThen);
        await ProcessedAsync(host);
        Assert.Equal("authorization_pending", DeviceClient.Error((await tv.PollAfterIntervalAsync()).Body));

        // The test clock is ahead of the emulator's now: the press is posted with the app's time.
        await SendPressAsync(host, OidcTestHost.Phone, payloads[0], host.Server.Clock.GetUtcNow());
        var (status, tokens) = await tv.PollUntilAnsweredAsync(ChannelTestKit.Patience);
        Assert.Equal(200, status);
        Assert.Equal(host.UserId, new JsonWebToken(tokens.GetProperty("id_token").GetString()).Subject);
        // A replayed Refuse after the approval: the request is answered, nothing flips (the device already has its tokens).
        await SendPressAsync(host, OidcTestHost.Phone, payloads[1], host.Server.Clock.GetUtcNow());
        await ProcessedAsync(host);
        await ChannelTestKit.QuietAsync(host.Server);
        // The question and the one confirmation (of the approval) are all the outbox holds for it: no "Refused" went out.
        // (The emulator never saw this phone write, so it refuses the free-text confirmation; the outbox still holds it.)
        var sent = await host.Server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<WaIdentity.WaChannel.Outbox.OutboundMessage>()
            .CountAsync(m => m.Phone == OidcTestHost.Phone && m.Purpose == "device-approval"));
        Assert.Equal(2, sent);
    }

    [Fact]
    public async Task Without_a_template_the_question_is_an_interactive_message_whose_Approve_button_approves()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, Settings(template: false));
        await DeviceClient.RegisterAsync(host);
        var tv = new DeviceClient(host);
        using (var client = host.Server.CreateClient())
            (await client.PostAsJsonAsync("/dev/inbox/api/inbound", new { from = OidcTestHost.Phone, text = "Hi" })).EnsureSuccessStatusCode();
        await tv.StartAsync(loginHint: OidcTestHost.Phone);
        var question = await QuestionItemAsync(host, tv);
        // The text still says how to answer by typing; the buttons are under it.
        Assert.StartsWith($"Approve sign-in to {DeviceClient.DisplayName} from this computer? Reply YES {tv.UserCode} to approve", question.Text);
        Assert.Equal(["Approve", "Refuse"], question.Buttons);

        await PressAsync(host, question.Id, 0);
        var (status, _) = await tv.PollUntilAnsweredAsync(ChannelTestKit.Patience);
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task The_emulator_refuses_a_template_the_business_account_does_not_have()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, Settings());
        using var client = host.Server.CreateClient();
        async Task<JsonNode> SendAsync(string name, string language)
        {
            var body = new JsonObject
            {
                ["messaging_product"] = "whatsapp", ["to"] = OidcTestHost.Phone.TrimStart('+'), ["type"] = "template",
                ["template"] = new JsonObject { ["name"] = name, ["language"] = new JsonObject { ["code"] = language }, ["components"] = new JsonArray() },
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/sandbox/whatsapp/v25.0/{SandboxCredentials.PhoneNumberId}/messages") { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxCredentials.AccessToken);
            using var response = await client.SendAsync(request);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        }
        Assert.Equal(132001, (await SendAsync("not_configured", "en_US"))["error"]!["code"]!.GetValue<int>());
        Assert.Equal(132001, (await SendAsync(Template, "fr"))["error"]!["code"]!.GetValue<int>());
        // The configured one exists, but not without its parameters and buttons.
        Assert.Equal(132000, (await SendAsync(Template, "en_US"))["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public void The_template_send_names_the_configured_template_and_language_and_carries_the_parameters_and_payloads()
    {
        var template = new QuestionTemplateOptions { Name = Template, Languages = { ["en"] = "en_US", ["id"] = "id" } };
        var question = new ReplyButtons([new ReplyButton("device-approve:r", "Approve"), new ReplyButton("device-refuse:r", "Refuse")], ["Living-room TV", "203.0.113.7", "QCJG-BQGW"]);
        var body = new JsonObject();
        QuestionBody.Fill(body, "Approve sign-in …", question, template, "id-ID");
        var expected = JsonNode.Parse("""
            {"type":"template","template":{"name":"device_approval","language":{"code":"id"},"components":[
              {"type":"body","parameters":[{"type":"text","text":"Living-room TV"},{"type":"text","text":"203.0.113.7"},{"type":"text","text":"QCJG-BQGW"}]},
              {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"device-approve:r"}]},
              {"type":"button","sub_type":"quick_reply","index":"1","parameters":[{"type":"payload","payload":"device-refuse:r"}]}]}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, body), body.ToJsonString());

        var interactive = new JsonObject();
        QuestionBody.Fill(interactive, "Approve sign-in …", question, new QuestionTemplateOptions(), "en");
        Assert.Equal("interactive", interactive["type"]!.GetValue<string>());
        Assert.Equal("button", interactive["interactive"]!["type"]!.GetValue<string>());
        Assert.Equal("device-refuse:r", interactive["interactive"]!["action"]!["buttons"]![1]!["reply"]!["id"]!.GetValue<string>());
    }

    /// <summary>A press as the Cloud API posts it (type "button"), signed, with the provider's own send time.</summary>
    private static Task SendPressAsync(OidcTestHost host, string phone, string payload, DateTimeOffset sentAt) =>
        ChannelTestKit.PostInboundAsync(host.Server, phone, sentAt, $$$"""
            "context":{"from":"{{{SandboxCredentials.BusinessNumber}}}","id":"wamid.x"},"type":"button","button":{"payload":"{{{payload}}}","text":"Approve"}
            """);

    private static Task ProcessedAsync(OidcTestHost host) => ChannelTestKit.InboundProcessedAsync(host.Server);
}
