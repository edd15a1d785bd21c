using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>
/// WhatsApp answering 500 on every try: a login code reaches the phone by SMS after at most two WhatsApp tries or
/// five seconds, whichever first, while a notification keeps the full retry budget. Retries come due on the app's
/// clock, which the test moves to each retry's time instead of waiting for it.
/// </summary>
public sealed class CodeFallbackBudgetTests
{
    /// <summary>The shipped retry budgets (5 tries, 1 s doubling; a code: 2 tries or 5 s), with quick polling for the test.</summary>
    private static Dictionary<string, string?> ShippedRetries() => Settings(
        ("Channel:Dispatch:RetryBaseMilliseconds", "1000"), ("Channel:Dispatch:MaxAttempts", "5"),
        ("Channel:Fallback:CodeWhatsAppAttempts", "2"), ("Channel:Fallback:CodeWhatsAppSeconds", "5"));

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_login_code_goes_by_sms_after_two_failed_whatsapp_tries_within_five_seconds(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, ShippedRetries());
        await FailNextAsync(server, "whatsapp", 100, "server-error");
        var phone = NewPhone();
        using var browser = server.CreateClient();

        await LoginForms.StartAsync(browser, phone);

        var whatsApp = await Eventually.ValueAsync(() => WhatsAppMessageAsync(server, phone), m => m is not null, Patience);
        var sms = await RetryUntilSmsAsync(server, whatsApp!.Id);
        var tried = await MessageAsync(server, whatsApp.Id);
        Assert.True(tried.Attempts <= 2, $"WhatsApp was tried {tried.Attempts} times before SMS");
        var after = sms.CreatedAt - tried.CreatedAt;
        Assert.True(after <= TimeSpan.FromSeconds(5), $"the code went by SMS {after.TotalSeconds:0.0} s after it was asked for");
        var received = await InboxWhenAsync(server, phone, i => i.Any(m => m.Channel == "sms"));
        Assert.Matches("^[0-9]{6}$", Assert.Single(received, m => m.Channel == "sms").Code);
        var status = await Eventually.ValueAsync(() => browser.GetFromJsonAsync<PageStatus>("/login/code?handler=Status"), s => s!.FellBack, Patience);
        Assert.Equal("WhatsApp failed, sent by SMS.", status!.Text);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_notification_keeps_the_full_retry_budget_before_sms(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, ShippedRetries());
        await FailNextAsync(server, "whatsapp", 100, "server-error");
        var phone = NewPhone();

        var handle = (await server.InScopeAsync(sp => sp.GetRequiredService<ITextSender>()
            .SendTextAsync(new TextRequest(phone, "Your order has shipped.", "notice", "en")))).Handle;

        await RetryUntilSmsAsync(server, handle.Id);
        Assert.Equal(5, (await MessageAsync(server, handle.Id)).Attempts);
    }

    public sealed record PageStatus(string State, string Text, bool FellBack);

    private static Task<OutboundMessage?> WhatsAppMessageAsync(IdpTestServer server, string phone) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<OutboundMessage>().AsNoTracking()
            .FirstOrDefaultAsync(m => m.Phone == phone && m.Channel == ChannelKind.WhatsApp));

    /// <summary>
    /// Moves the app's clock to each retry's due time (never further), until the SMS fallback exists; returns it.
    /// </summary>
    private static async Task<OutboundMessage> RetryUntilSmsAsync(IdpTestServer server, Guid whatsAppId)
    {
        var message = await Eventually.ValueAsync(async () =>
        {
            var m = await MessageAsync(server, whatsAppId);
            var wait = m.NextAttemptAt - server.Clock.GetUtcNow();
            if (m.FallbackId is null && m.Dispatch == DispatchState.Pending && m.LeaseUntil is null && wait > TimeSpan.Zero) server.Clock.Advance(wait);
            return m;
        }, m => m.FallbackId is not null, Patience);
        Assert.NotNull(message.FallbackId);
        return await MessageAsync(server, message.FallbackId!.Value);
    }
}
