using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Admin;

/// <summary>Dead-lettered app webhooks are listed in the portal (without their bodies) and replayed from there.</summary>
public sealed class WebhookAdminTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_dead_letter_is_listed_and_replayed_from_the_portal_and_the_replay_is_audited(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db);
        var admin = await SignedInSession.CreateUserAsync(server, "admin@example.com", Roles.Admin);
        using var portal = server.CreateClient(await SignedInSession.SignInAsync(server, admin.Id, AuthenticationLevels.TwoFactors));
        var id = Guid.NewGuid().ToString("N");
        await server.InScopeAsync(async sp =>
        {
            var ctx = sp.GetRequiredService<IdpDbContext>();
            ctx.Add(new WebhookDelivery
            {
                Id = id, ClientId = "shop", Kind = "inbound", Url = "https://shop.example/hooks", Body = "{\"text\":\"secret order 42\"}",
                State = WebhookState.Dead, Attempts = 8, LastError = "HTTP 500", CreatedAt = DateTimeOffset.UtcNow, NextAttemptAt = DateTimeOffset.UtcNow,
            });
            await ctx.SaveChangesAsync();
            return 0;
        });

        var page = await (await portal.GetAsync("/admin/webhooks")).Content.ReadAsStringAsync();
        Assert.Contains($"delivery-{id}", page);
        Assert.Contains("HTTP 500", page);
        Assert.DoesNotContain("secret order 42", page);

        var replay = await portal.PostAsync($"/admin/webhooks?handler=Replay&id={id}&state=Dead",
            new FormUrlEncodedContent([new(AntiforgeryToken.FieldName, AntiforgeryToken.In(page))]));
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);

        var row = await server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<WebhookDelivery>().AsNoTracking().SingleAsync(d => d.Id == id));
        Assert.NotEqual(WebhookState.Dead, row.State); // pending again (or already tried by the delivery job)
        Assert.DoesNotContain($"delivery-{id}", await (await portal.GetAsync("/admin/webhooks")).Content.ReadAsStringAsync());
        Assert.Contains($"webhook:{id}", await (await portal.GetAsync("/admin/audit")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await portal.PostAsync("/admin/webhooks?handler=Replay&id=nope",
            new FormUrlEncodedContent([new(AntiforgeryToken.FieldName, AntiforgeryToken.In(page))]))).StatusCode);
    }
}
