using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
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

    /// <summary>A key row exactly as the hand-written repository stored it before the library's took over.</summary>
    private const string KeyStoredByTheEarlierRepository = """
        <key id="e09d2605-3e64-4c93-9e8f-e5cd3a2cb78e" version="1"><creationDate>2026-12-07T03:53:18.1385031Z</creationDate><activationDate>2026-12-07T03:53:18.1385031Z</activationDate><expirationDate>2027-03-07T03:53:18.1385031Z</expirationDate><descriptor deserializerType="Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel.AuthenticatedEncryptorDescriptorDeserializer, Microsoft.AspNetCore.DataProtection, Version=10.0.0.0, Culture=neutral, PublicKeyToken=adb9793829ddae60"><descriptor><encryption algorithm="AES_256_CBC" /><validation algorithm="HMACSHA256" /><encryptedSecret decryptorType="WaIdentity.IdP.Persistence.KeyRing.KeyRingXmlDecryptor, WaIdentity.IdP, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null" xmlns="http://schemas.asp.net/2015/03/dataProtection"><encryptedKey alg="A256GCM" xmlns=""><nonce>b+0863k9zhGFFMku</nonce><tag>quOmDmcKHXWmNL/t8knNGg==</tag><value>zMoBRjlpEqKReQcQlJ5APqQEHdv6ie+G854cxAVdzS/5Q5ex358sbgEgKMEkDoPdORIeS97S1bjXVCUVjBugC8sMaJW/pxoXAUr4fP9TOi1PxngNYCPz+lmgkr7cnQcPXpkloCq/D0r4Ylw2x6HiPMuAfOZhlRa6WtCn5HOPAxO0CE5aM/+B5cG9XEOCa9vObTPXa5mj33nVu5uRxmzO0LvXiRwDvuUN5URuh8woR9wyQiM3Wh/lBJ7tnvILlvVcVJet0QugKWFoz4i4hinZ/VVXDcijpyF3qo7oyGSDa7mx4x0pLc/LEESXZ+bo9PhiHODnaSeORto/xjm+644ABm1zhDPUAk0XKEzit5MK</value></encryptedKey></encryptedSecret></descriptor></descriptor></key>
        """;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Keys_stored_before_the_library_repository_are_still_read_and_decrypted(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var kek = new Dictionary<string, string?> { ["DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray()) };
        await using var node = await IdpTestServer.StartAsync(db, kek);
        await node.InScopeAsync(async sp =>
        {
            var ctx = sp.GetRequiredService<IdpDbContext>();
            ctx.DataProtectionKeys.Add(new() { FriendlyName = "key-e09d2605-3e64-4c93-9e8f-e5cd3a2cb78e", Xml = KeyStoredByTheEarlierRepository });
            return await ctx.SaveChangesAsync();
        });

        var key = Assert.Single(node.Services.GetRequiredService<IKeyManager>().GetAllKeys(), k => k.KeyId == Guid.Parse("e09d2605-3e64-4c93-9e8f-e5cd3a2cb78e"));
        // The descriptor is the decrypted master key: reading it goes through the AES-GCM decryptor and the configured key.
        var encryptor = key.CreateEncryptor()!;
        var sealedBytes = encryptor.Encrypt(new ArraySegment<byte>("hello"u8.ToArray()), new ArraySegment<byte>([]));
        Assert.Equal("hello"u8.ToArray(), encryptor.Decrypt(new ArraySegment<byte>(sealedBytes), new ArraySegment<byte>([])));
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
