using System.CommandLine;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Cli;

/// <summary><c>admin create</c>: the first admin account, since nobody can sign in to the portal before one exists.</summary>
internal static class AdminCommands
{
    public static Command Create(Func<IServiceProvider> services, CliConsole console)
    {
        var email = new Option<string>("--email") { Description = "The admin's email, used to sign in.", Required = true };
        var password = new Option<string?>("--password") { Description = "At least 8 characters. Omit it to read it from standard input." };
        var phone = new Option<string?>("--phone") { Description = "E.164 phone number for the admin's WhatsApp second factor." };
        var create = new Command("create", "Create an admin account.") { email, password, phone };
        create.SetAction((result, ct) => CreateAdminAsync(services(), console, result.GetValue(email)!, result.GetValue(password), result.GetValue(phone)));
        return new Command("admin", "Manage admin accounts.") { create };
    }

    private static async Task<int> CreateAdminAsync(IServiceProvider root, CliConsole console, string email, string? password, string? phone)
    {
        password ??= console.In.ReadLine() ?? "";
        await using var scope = root.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(Roles.Admin)) await roles.CreateAsync(new IdentityRole(Roles.Admin));

        var user = new IdpUser
        {
            UserName = email, Email = email, EmailConfirmed = true, PhoneNumber = phone,
            PhoneNumberConfirmed = phone is not null, CreatedAt = DateTimeOffset.UtcNow, LockoutEnabled = true,
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) return Fail(console, created);
        var added = await users.AddToRoleAsync(user, Roles.Admin);
        if (!added.Succeeded) return Fail(console, added);
        console.Out.WriteLine(JsonSerializer.Serialize(new { id = user.Id, email, role = Roles.Admin }));
        return 0;
    }

    private static int Fail(CliConsole console, IdentityResult result)
    {
        foreach (var e in result.Errors) console.Error.WriteLine($"admin create: {e.Description}");
        return 1;
    }
}
