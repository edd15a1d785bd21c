using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace WaIdentity.Tests.Mfa;

/// <summary>Authenticator secrets and recovery codes in the database, on SQLite and PostgreSQL.</summary>
public sealed class SecondFactorStoreTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_authenticator_is_enabled_by_a_code_its_secret_is_encrypted_and_a_code_is_accepted_once(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db);
        var user = await SignedInSession.CreateUserAsync(server, "totp@example.com");

        var secret = await server.InScopeAsync(sp => sp.GetRequiredService<TotpStore>().PendingSecretAsync(user.Id, default));
        var key = TestTotp.Decode(secret);
        Assert.False(await server.InScopeAsync(sp => sp.GetRequiredService<TotpStore>().EnableAsync(user.Id, "000000", default)));
        var stored = await server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<TotpAuthenticator>().SingleAsync());
        Assert.DoesNotContain(secret, stored.ProtectedSecret);
        Assert.DoesNotContain(Convert.ToBase64String(key), stored.ProtectedSecret);

        var now = server.Clock.GetUtcNow();
        Assert.True(await server.InScopeAsync(sp => sp.GetRequiredService<TotpStore>().EnableAsync(user.Id, TestTotp.CodeAt(key, now), default)));
        // The enrolment code's step is used; the next step's code works once, even posted several times at once.
        server.Clock.Advance(TimeSpan.FromSeconds(AuthenticatorCode.StepSeconds));
        var next = TestTotp.Hotp(key, TestTotp.StepAt(now) + 1);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            server.InScopeAsync(sp => sp.GetRequiredService<TotpStore>().VerifyAsync(user.Id, next, default))));
        Assert.Single(results, r => r);
        Assert.False(await server.InScopeAsync(sp => sp.GetRequiredService<TotpStore>().VerifyAsync(user.Id, TestTotp.CodeAt(key, now), default)));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Recovery_codes_are_hashed_each_works_once_and_regenerating_kills_the_old_ones(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db);
        var user = await SignedInSession.CreateUserAsync(server, "rc@example.com");

        var codes = await server.InScopeAsync(sp => sp.GetRequiredService<RecoveryCodeStore>().RegenerateAsync(user.Id, default));
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$", c));
        var rows = await server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<RecoveryCode>().ToListAsync());
        Assert.DoesNotContain(rows, r => codes.Any(c => r.CodeHash.Contains(c.Replace("-", ""))));

        var typedLoosely = codes[3].ToLowerInvariant().Replace("-", " ");
        var twice = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            server.InScopeAsync(sp => sp.GetRequiredService<RecoveryCodeStore>().UseAsync(user.Id, typedLoosely, default))));
        Assert.Single(twice, r => r);
        Assert.Equal(9, await server.InScopeAsync(sp => sp.GetRequiredService<RecoveryCodeStore>().RemainingAsync(user.Id, default)));

        await server.InScopeAsync(sp => sp.GetRequiredService<RecoveryCodeStore>().RegenerateAsync(user.Id, default));
        Assert.False(await server.InScopeAsync(sp => sp.GetRequiredService<RecoveryCodeStore>().UseAsync(user.Id, codes[5], default)));
    }
}
