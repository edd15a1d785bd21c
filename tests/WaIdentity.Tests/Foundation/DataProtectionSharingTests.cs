using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Foundation;

public sealed class DataProtectionSharingTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_second_node_on_the_same_database_reads_what_the_first_protected(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var nodeA = await IdpTestServer.StartAsync(db);
        await using var nodeB = await IdpTestServer.StartAsync(db);

        var secret = nodeA.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello");
        var read = nodeB.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(secret);

        Assert.Equal("hello", read);
        Assert.True(await nodeA.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().DataProtectionKeys.AnyAsync()));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task With_a_key_encryption_key_the_stored_keys_are_ciphertext_and_useless_without_it(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var kek = new Dictionary<string, string?> { ["DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray()) };
        string secret;
        await using (var nodeA = await IdpTestServer.StartAsync(db, kek))
            secret = nodeA.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello");

        await using var nodeB = await IdpTestServer.StartAsync(db, kek);
        Assert.Equal("hello", nodeB.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(secret));
        var stored = await nodeB.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.All(stored, xml => Assert.Contains("A256GCM", xml));
        Assert.All(stored, xml => Assert.DoesNotContain("<masterKey", xml));

        // A database copied without the key encryption key cannot read what was protected.
        await using var thief = await IdpTestServer.StartAsync(db, new Dictionary<string, string?> { ["DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(new byte[32]) });
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
            thief.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(secret));
    }

    [Fact]
    public async Task Outside_development_the_key_encryption_key_is_required()
    {
        var dbFile = Path.Combine(Path.GetTempPath(), $"waid-kek-{Guid.NewGuid():N}.db");
        var result = await IdpProcess.RunAsync([], new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database:ConnectionString"] = $"Data Source={dbFile}",
        });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Configuration error: DataProtection:KeyEncryptionKey: is required outside Development", result.StdErr);
    }
}
