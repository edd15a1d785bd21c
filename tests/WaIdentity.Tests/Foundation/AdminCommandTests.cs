using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Foundation;

public sealed class AdminCommandTests
{
    [Fact]
    public async Task Admin_create_makes_an_admin_who_can_be_found_and_refuses_a_duplicate()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        string[] args = ["admin", "create", "--email", "root@example.com", "--phone", "+6281234567890"];

        var first = await IdpCli.RunAsync(args, db.Settings, stdin: "correct horse battery");
        var second = await IdpCli.RunAsync(args, db.Settings, stdin: "correct horse battery");

        Assert.Equal(0, first.ExitCode);
        using var json = JsonDocument.Parse(first.StdOut);
        Assert.Equal("admin", json.RootElement.GetProperty("role").GetString());
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("root@example.com", second.StdErr);

        await using var server = await IdpTestServer.StartAsync(db);
        var isAdmin = await server.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<IdpUser>>();
            var user = await users.FindByEmailAsync("root@example.com");
            return user is not null && await users.IsInRoleAsync(user, Roles.Admin) && await users.CheckPasswordAsync(user, "correct horse battery");
        });
        Assert.True(isAdmin);
    }

    [Fact]
    public async Task Admin_create_refuses_a_short_password_with_a_clear_error()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

        var result = await IdpCli.RunAsync(["admin", "create", "--email", "a@example.com", "--password", "short"], db.Settings);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("at least 8 characters", result.StdErr);
    }
}
