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
}
